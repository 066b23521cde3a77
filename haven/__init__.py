"""Haven: online mental-health peer support."""

import os

# One BLAS/OpenMP thread per process, set before numpy loads: Haven runs several server
# processes and a worker on few cores, and a sentence embedding that spread over every core
# beside two busy processes took 700 ms against 35 ms on one thread. A host may set more.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
