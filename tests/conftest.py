import sys
from pathlib import Path

# tests/support is a package of helpers shared by the test modules.
sys.path.insert(0, str(Path(__file__).parent))
