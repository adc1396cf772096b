#!/usr/bin/env bash
# Installs pyspark (local mode only) into a venv under the scratch dir; nothing lands in the repo.
# Spark 4.0 targets Java 17/21, which matches the OpenJDK 17 on the project machines.
set -euo pipefail
SCRATCH="${STIMMUNG_BENCH_DIR:-/tmp/stimmung-bench}"
PYSPARK_VERSION="${PYSPARK_VERSION:-4.0.1}"
VENV="$SCRATCH/venv-spark"

if ! java -version >/dev/null 2>&1; then
    echo "setup.sh: java not found; install a JDK 17 (apt-get install openjdk-17-jre-headless)" >&2
    exit 2
fi
java -version 2>&1 | head -1

mkdir -p "$SCRATCH"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
fi
"$VENV/bin/python" -c "import pyspark; print('pyspark', pyspark.__version__, 'in $VENV')"
