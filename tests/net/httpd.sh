#!/bin/sh
# One HTTP/1.0 exchange for socat's EXEC (its argument, the network's directory,
# only marks the process as the network's): read the request up to its blank
# line (answering before that and closing with unread input would reset the
# connection and lose the answer), then a fixed page naming the request line.
req=
while IFS= read -r line; do
	line=$(printf '%s' "$line" | tr -d '\r')
	[ -n "$req" ] || req=$line
	[ -n "$line" ] || break
done
body="hello from torsh-net: $req"
printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s\n' \
	$((${#body} + 1)) "$body"
