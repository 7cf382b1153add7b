#!/usr/bin/env bash
# Start nginx in the foreground (daemon off) serving DIR on 127.0.0.1:PORT.
# Used by bench/compare. Usage: start-nginx.sh PORT WORKERS DIR [CERT KEY]
# With CERT and KEY (PEM), it serves HTTPS: TLS 1.2 and 1.3, session cache and tickets on.
# Config, pid file, logs and temp paths live under /tmp/bench-nginx-PORT/.
# exec's nginx, so the caller's PID is the nginx master.
set -euo pipefail
PORT=$1 WORKERS=$2 DIR=$(cd "$3" && pwd)
TLS=""
[ $# -ge 5 ] && TLS=1
T=/tmp/bench-nginx-$PORT
mkdir -p "$T"/{client_body,proxy,fastcgi,uwsgi,scgi}
cat > "$T/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes $WORKERS;
worker_rlimit_nofile 20000;
pid $T/nginx.pid;
error_log $T/error.log warn;
events {
    worker_connections 20000;
    use epoll;
}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 100000;
    keepalive_timeout 65s;
    open_file_cache max=1000 inactive=60s;
    open_file_cache_valid 60s;
    open_file_cache_min_uses 1;
    open_file_cache_errors on;
    client_body_temp_path $T/client_body;
    proxy_temp_path $T/proxy;
    fastcgi_temp_path $T/fastcgi;
    uwsgi_temp_path $T/uwsgi;
    scgi_temp_path $T/scgi;
    server {
        listen 127.0.0.1:$PORT ${TLS:+ssl }backlog=4096;
        ${TLS:+ssl_certificate $4; ssl_certificate_key $5; ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:SSL:10m;}
        server_name localhost;
        root $DIR;
        location / { }
    }
}
CONF
exec /usr/sbin/nginx -p "$T" -c "$T/nginx.conf" -e "$T/error.log"
