import sys

from civicllm.cli import main

sys.exit(main())
