#!/bin/sh
# `make loadtest`: gunicorn (gunicorn.conf.py, production settings) on loopback, locust
# headless for LOADTEST_USERS users over LOADTEST_SECONDS, then the lost-write check.
# Needs the synthetic data (make bench builds it, or manage.py build_scale_data --password).
# LOADTEST_ACCESS_LOG=file: gunicorn's access log there, a line per request: method, path,
# status, X-Fragment-Cache (hit, miss or -) and the time in milliseconds.
set -eu
PORT=${LOADTEST_PORT:-8106}
USERS=${LOADTEST_USERS:-50}
SECONDS_=${LOADTEST_SECONDS:-60}
LOCUST=${LOCUST:-.venv-load/bin/locust}
OUT=${LOADTEST_OUT:-loadtest-results}
mkdir -p "$OUT"
export LOADTEST_WRITES="$OUT/writes.txt"
: > "$LOADTEST_WRITES"
export DJANGO_SETTINGS_MODULE=winterplan.settings
export SECRET_KEY=${SECRET_KEY:-loadtest-only-not-secret} ALLOWED_HOSTS=127.0.0.1 DEBUG=0
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 \
       CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$PORT
.venv/bin/python manage.py collectstatic --no-input -v0
GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_WORKERS=${GUNICORN_WORKERS:-4} \
    .venv/bin/gunicorn -c gunicorn.conf.py --access-logfile "${LOADTEST_ACCESS_LOG:-/dev/null}" \
    --access-logformat '%(m)s %(U)s %(s)s %({x-fragment-cache}o)s %(M)s' & server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
sleep 3
status=0
# The locustfile measures LOADTEST_SECONDS from the moment every user has signed in and then
# stops the run; -t is only a backstop.
export LOADTEST_SECONDS="$SECONDS_"
"$LOCUST" -f loadtest/locustfile.py --headless -u "$USERS" -r "${LOADTEST_SPAWN_RATE:-10}" \
    -t "$((SECONDS_ + 300))s" \
    --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" --only-summary || status=$?
.venv/bin/python loadtest/check_writes.py "$LOADTEST_WRITES" || status=1
exit $status
