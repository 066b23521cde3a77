"""The numerical libraries run one thread per process unless the host asks for more."""

import json
import os
import subprocess
import sys

PROBE = (
    "import haven.asgi, numpy, threadpoolctl, json; "
    "print(json.dumps([p['num_threads'] for p in threadpoolctl.threadpool_info()]))"
)


def pools(env: dict[str, str]) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120,
        check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_app_starts_with_one_blas_thread_and_a_host_can_choose_more():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    assert pools(env) and set(pools(env)) == {1}
    assert set(pools({**env, "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"})) == {2}
