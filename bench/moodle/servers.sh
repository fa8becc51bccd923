#!/usr/bin/env bash
# Start or stop the web servers of the comparison, all on 127.0.0.1:
#   PHP-FPM (Moodle, $WORKERS static children, opcache) and gunicorn (KruPD, WEB_CONCURRENCY=$WORKERS,
#   gunicorn.conf.py, persistent database connections), both behind one nginx:
#   Moodle on :$MOODLE_HTTP_PORT, KruPD on :$KRUPD_HTTP_PORT.
#
#   bench/moodle/servers.sh start|stop
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
RUN=$BENCH_DIR/run
MOODLE_SRC=$(cat "$BENCH_DIR/moodle-src" 2>/dev/null || true)

stop_pidfile() { # stop_pidfile FILE: TERM the process it names, wait up to 30 s
    local pid
    [[ -f $1 ]] || return 0
    pid=$(cat "$1")
    if kill -TERM "$pid" 2>/dev/null; then
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$1"
}

wait_http() { # wait_http URL: up to 60 s for any HTTP answer
    for _ in $(seq 1 120); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.5
    done
    die "nothing answers at $1"
}

start() {
    [[ -n $MOODLE_SRC ]] || die "run setup_moodle.sh first"
    mkdir -p "$RUN/nginx-tmp"
    cat >"$RUN/php-fpm.conf" <<CONF
[global]
pid = $RUN/php-fpm.pid
error_log = $RUN/php-fpm.log
daemonize = yes

[moodle]
user = $WEB_USER
group = $WEB_USER
listen = $RUN/php-fpm.sock
listen.owner = $WEB_USER
listen.group = $WEB_USER
pm = static
pm.max_children = $WORKERS
php_admin_value[max_input_vars] = 5000
php_admin_value[memory_limit] = 256M
CONF
    # opcache as Moodle's documentation recommends for production.
    "$PHP_FPM" --fpm-config "$RUN/php-fpm.conf" -d opcache.enable=1 \
        -d opcache.memory_consumption=128 -d opcache.max_accelerated_files=10000 \
        -d opcache.revalidate_freq=60 -d opcache.validate_timestamps=1 -d opcache.save_comments=1

    source "$BENCH_DIR/krupd-pg/env"
    (
        cd "$ROOT"
        export KRUPD_PRODUCTION=1 DEBUG=false ALLOWED_HOSTS=127.0.0.1
        export SECRET_KEY=$(head -c 48 /dev/urandom | base64)
        # Plain HTTP on loopback: no HTTPS redirect or secure-only cookies.
        export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0
        export WEB_CONCURRENCY=$WORKERS DB_CONN_MAX_AGE=${DB_CONN_MAX_AGE:-60}
        # Compiled modules cached as a deployed server caches them. Without the cache (an
        # environment with PYTHONDONTWRITEBYTECODE set) every worker start, and every recycling
        # after max_requests, compiled ~2,800 modules again: 5-6 s of CPU instead of ~3, charged
        # to whichever run it fell in. Kept under $BENCH_DIR, out of the repository and the venv.
        unset PYTHONDONTWRITEBYTECODE
        export PYTHONPYCACHEPREFIX=$BENCH_DIR/pycache
        export GUNICORN_ACCESS_LOG=$RUN/gunicorn-access.log GUNICORN_ERROR_LOG=$RUN/gunicorn.log
        "$ROOT/.venv/bin/gunicorn" --config gunicorn.conf.py --bind "127.0.0.1:$GUNICORN_PORT" \
            --pid "$RUN/gunicorn.pid" --daemon
    )

    cat >"$RUN/nginx.conf" <<CONF
user $WEB_USER;
worker_processes auto;
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $RUN/nginx-tmp/body;
    proxy_temp_path $RUN/nginx-tmp/proxy;
    fastcgi_temp_path $RUN/nginx-tmp/fastcgi;
    uwsgi_temp_path $RUN/nginx-tmp/uwsgi;
    scgi_temp_path $RUN/nginx-tmp/scgi;
    keepalive_requests 100000;
    server {   # Moodle
        listen 127.0.0.1:$MOODLE_HTTP_PORT;
        root $MOODLE_SRC;
        index index.php;
        location ~ [^/]\.php(/|\$) {
            fastcgi_split_path_info ^(.+?\.php)(/.*)\$;
            fastcgi_pass unix:$RUN/php-fpm.sock;
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_param PATH_INFO \$fastcgi_path_info;
        }
    }
    server {   # KruPD
        listen 127.0.0.1:$KRUPD_HTTP_PORT;
        location / {
            proxy_pass http://127.0.0.1:$GUNICORN_PORT;
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_set_header X-Forwarded-Proto http;
        }
    }
}
CONF
    nginx -c "$RUN/nginx.conf" -p "$RUN" -t 2>/dev/null || nginx -c "$RUN/nginx.conf" -p "$RUN" -t
    nginx -c "$RUN/nginx.conf" -p "$RUN"
    wait_http "http://127.0.0.1:$MOODLE_HTTP_PORT/login/index.php"
    wait_http "http://127.0.0.1:$KRUPD_HTTP_PORT/healthz"
    log "servers up: Moodle http://127.0.0.1:$MOODLE_HTTP_PORT, KruPD http://127.0.0.1:$KRUPD_HTTP_PORT"
}

stop() {
    stop_pidfile "$RUN/nginx.pid"
    stop_pidfile "$RUN/gunicorn.pid"
    stop_pidfile "$RUN/php-fpm.pid"
}

case ${1:-} in
start)
    stop
    trap 'status=$?; ((status == 0)) || stop; exit $status' EXIT # nothing left half-started
    start
    ;;
stop) stop ;;
*) die "usage: servers.sh start|stop" ;;
esac
