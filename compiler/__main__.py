import sys

from .policies import main

sys.exit(main())
