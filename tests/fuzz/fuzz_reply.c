/* libFuzzer target: any bytes from a hostile control port are framed into
 * messages or a protocol error, and every message goes through the event
 * parser and all three renderers: never a crash or unbounded growth. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "escape.h"
#include "render.h"
#include "reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r;
	reader_init(&r, 1 << 16);
	r.stream_min = size > 1 && (data[1] & 1) ? 1 + data[1] % 64 : 0; /* replies in pieces */
	FILE *null = fopen("/dev/null", "w");
	struct renderer out[3];
	const struct render_opts ro[3] = {
		{.fmt = FMT_RAW, .safe = true},
		{.fmt = FMT_PRETTY, .safe = true, .color = true, .explain = true},
		{.fmt = FMT_JSON},
	};
	for (int i = 0; i < 3; i++)
		renderer_init(&out[i], &ro[i]);
	size_t step = size > 0 ? (data[0] % 7) + 1 : 1;
	for (size_t off = 0; off < size; off += step) {
		size_t n = size - off < step ? size - off : step;
		if (reader_feed(&r, (const char *)data + off, n) < 0)
			break;
		struct tc_msg *m;
		int rc;
		while ((rc = reader_next(&r, &m)) > 0)
			for (int i = 0; i < 3; i++)
				render(&out[i], null, m, cmd_find(i == 2 ? "ONION_CLIENT_AUTH_VIEW" : "GETCONF", i == 2 ? 22 : 7),
				       i == 2 ? "ONION_CLIENT_AUTH_VIEW" : "GETCONF");
		if (rc < 0)
			break;
	}
	for (int i = 0; i < 3; i++)
		renderer_free(&out[i]);
	fclose(null);
	reader_free(&r);
	return 0;
}
