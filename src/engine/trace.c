/* Writers of a packet's trace: text (one line per stage at each node, then
 * the verdict) and JSON (CLI.md, run), and the counters. */
#include "config.h"
#include "engine/engine_internal.h"

#include <stdio.h>
#include <string.h>

static const struct source_set *sources_of(const struct engine *e)
{
	return e->ir->sources;
}

static void loc_text(const struct engine *e, struct tunc_loc loc, char *buf, size_t size)
{
	buf[0] = '\0';
	const struct source_set *s = sources_of(e);
	if (!loc.file || !s || loc.file >= s->n)
		return;
	unsigned line, col;
	source_line_col(s, loc, &line, &col);
	snprintf(buf, size, "%s:%u:%u", source_path(s, loc), line, col);
}

static size_t node_width(const struct packet_result *r)
{
	size_t w = 0;
	for (; r; r = r->reply)
		for (size_t i = 0; i < r->hops.n; i++)
			if (strlen(r->hops.v[i].node) > w)
				w = strlen(r->hops.v[i].node);
	return w;
}

static void verdict_text(struct strbuf *out, const struct packet_result *r)
{
	switch (r->verdict) {
	case VERDICT_PROTECTED:
		strbuf_printf(out, "protected by %s", r->tunnel ? r->tunnel->name : "?");
		break;
	case VERDICT_CLEAR:
		strbuf_printf(out, "clear (%s)", r->reason ? r->reason : "no IPsec");
		break;
	case VERDICT_DROPPED:
		strbuf_printf(out, "dropped at %s/%s: %s", r->at_node ? r->at_node : "?",
			      stage_name(r->at_stage), r->reason ? r->reason : "");
		break;
	case VERDICT_UNREACHABLE:
		strbuf_printf(out, "unreachable (%s)", r->reason ? r->reason : "no route");
		break;
	default:
		strbuf_puts(out, "?");
	}
}

/* S, then spaces up to WIDTH ("%-*s" without a printf per field: a long
 * --count writes millions of them). */
static void put_padded(struct strbuf *out, const char *s, size_t width)
{
	static const char spaces[] = "                                ";
	size_t n = strlen(s);
	strbuf_add(out, s, n);
	while (n < width) {
		size_t k = width - n < sizeof(spaces) - 1 ? width - n : sizeof(spaces) - 1;
		strbuf_add(out, spaces, k);
		n += k;
	}
}

/* "  (FILE:LINE:COL)" of a hop's statement, made once for consecutive
 * hops decided by the same statement (the cache lives for one trace). */
struct loc_cache {
	struct tunc_loc loc;
	bool made;
	char text[512];
};

static void loc_suffix(struct strbuf *out, const struct engine *e, struct tunc_loc loc,
		       struct loc_cache *c)
{
	if (!c->made || c->loc.file != loc.file || c->loc.offset != loc.offset ||
	    c->loc.length != loc.length) {
		loc_text(e, loc, c->text, sizeof(c->text));
		c->loc = loc;
		c->made = true;
	}
	if (!c->text[0])
		return;
	strbuf_add(out, "  (", 3);
	strbuf_puts(out, c->text);
	strbuf_putc(out, ')');
}

static void hops_text(struct strbuf *out, const struct engine *e, const struct packet_result *r,
		      size_t w)
{
	struct loc_cache cache;
	cache.made = false;
	for (size_t i = 0; i < r->hops.n; i++) {
		const struct trace_hop *h = &r->hops.v[i];
		strbuf_add(out, "  ", 2);
		put_padded(out, h->node, w);
		strbuf_add(out, "  ", 2);
		put_padded(out, stage_name(h->stage), 13);
		strbuf_putc(out, ' ');
		strbuf_puts(out, h->result);
		loc_suffix(out, e, h->loc, &cache);
		strbuf_putc(out, '\n');
	}
}

void engine_trace_text(struct strbuf *out, const struct engine *e, const struct packet_result *r)
{
	size_t w = node_width(r);
	strbuf_printf(out, "%s\n", r->send);
	hops_text(out, e, r, w);
	strbuf_puts(out, "  verdict: ");
	verdict_text(out, r);
	strbuf_putc(out, '\n');
	if (r->reply) {
		strbuf_printf(out, "reply: %s\n", r->reply->send);
		hops_text(out, e, r->reply, w);
		strbuf_puts(out, "  verdict: ");
		verdict_text(out, r->reply);
		strbuf_putc(out, '\n');
		const struct ir_tunnel *t = NULL;
		struct packet_result handshake = *r;    /* the round trip alone */
		handshake.segment = NULL;
		enum verdict v = packet_overall_verdict(&handshake, &t);
		strbuf_printf(out, "round trip: %s%s%s\n", verdict_name(v), t ? " by " : "",
			      t ? t->name : "");
	}
	if (r->segment) {
		strbuf_printf(out, "segment: %s\n", r->segment->send);
		hops_text(out, e, r->segment, w);
		strbuf_puts(out, "  verdict: ");
		verdict_text(out, r->segment);
		strbuf_putc(out, '\n');
		const struct ir_tunnel *t = NULL;
		enum verdict v = packet_overall_verdict(r, &t);
		strbuf_printf(out, "overall: %s%s%s\n", verdict_name(v), t ? " by " : "",
			      t ? t->name : "");
	}
}

static void json_loc(struct strbuf *out, const struct engine *e, struct tunc_loc loc)
{
	const struct source_set *s = sources_of(e);
	if (!loc.file || !s || loc.file >= s->n) {
		strbuf_puts(out, "null");
		return;
	}
	unsigned line, col;
	source_line_col(s, loc, &line, &col);
	strbuf_puts(out, "{\"file\":");
	strbuf_json_string(out, source_path(s, loc));
	strbuf_printf(out, ",\"line\":%u,\"column\":%u}", line, col);
}

void engine_trace_json(struct strbuf *out, const struct engine *e, const struct packet_result *r)
{
	strbuf_puts(out, "{\"send\":");
	strbuf_json_string(out, r->send);
	strbuf_puts(out, ",\"verdict\":");
	strbuf_json_string(out, verdict_name(r->verdict));
	strbuf_puts(out, ",\"tunnel\":");
	if (r->verdict == VERDICT_PROTECTED && r->tunnel)
		strbuf_json_string(out, r->tunnel->name);
	else
		strbuf_puts(out, "null");
	strbuf_puts(out, ",\"reason\":");
	if (r->verdict == VERDICT_PROTECTED || !r->reason)
		strbuf_puts(out, "null");
	else
		strbuf_json_string(out, r->reason);
	strbuf_puts(out, ",\"at\":");
	if (r->at_node && (r->verdict == VERDICT_DROPPED || r->verdict == VERDICT_UNREACHABLE)) {
		strbuf_puts(out, "{\"node\":");
		strbuf_json_string(out, r->at_node);
		strbuf_puts(out, ",\"stage\":");
		strbuf_json_string(out, stage_name(r->at_stage));
		strbuf_putc(out, '}');
	} else {
		strbuf_puts(out, "null");
	}
	strbuf_puts(out, ",\"reply\":");
	if (r->reply)
		engine_trace_json(out, e, r->reply);
	else
		strbuf_puts(out, "null");
	if (r->segment) {               /* TCP with `size`: the data segment */
		strbuf_puts(out, ",\"segment\":");
		engine_trace_json(out, e, r->segment);
	}
	strbuf_puts(out, ",\"hops\":[");
	for (size_t i = 0; i < r->hops.n; i++) {
		const struct trace_hop *h = &r->hops.v[i];
		strbuf_puts(out, i ? ",{\"node\":" : "{\"node\":");
		strbuf_json_string(out, h->node);
		strbuf_puts(out, ",\"stage\":");
		strbuf_json_string(out, stage_name(h->stage));
		strbuf_puts(out, ",\"result\":");
		strbuf_json_string(out, h->result);
		strbuf_puts(out, ",\"source\":");
		json_loc(out, e, h->loc);
		strbuf_putc(out, '}');
	}
	strbuf_puts(out, "]}");
}

static void sa_drops(struct strbuf *out, const struct ipsec_sa_counters *c)
{
	bool any = false;
	for (int i = 0; i < IPSEC_RESULT__COUNT; i++) {
		if (!c->drops[i])
			continue;
		strbuf_printf(out, "%s%s %llu", any ? ", " : ", drops: ",
			      ipsec_drop_reason_name((enum ipsec_result)i),
			      (unsigned long long)c->drops[i]);
		any = true;
	}
}

void engine_counters_text(struct strbuf *out, const struct engine *e)
{
	if (e->bundles.n) {
		strbuf_puts(out, "security associations:\n");
		for (size_t i = 0; i < e->bundles.n; i++) {
			const struct sa_bundle *b = e->bundles.v[i];
			for (int s = 0; s < 2; s++) {
				if (!b->ready[s])
					continue;
				const struct ipsec_sa *o = &b->out[s], *in = &b->in[1 - s];
				strbuf_printf(out, "  %s  %s -> %s  spi 0x%08x  %s %s%s%s%s\n",
					      b->tunnel->name, b->side[s]->ir->name,
					      b->side[1 - s]->ir->name, o->cfg.spi,
					      o->cfg.protocol == IPSEC_AH ? "ah" : "esp",
					      o->cfg.protocol == IPSEC_AH ? "" : encryption_name(o->cfg.enc),
					      o->cfg.protocol == IPSEC_AH ? "" : " ",
					      integrity_name(o->cfg.integ),
					      o->cfg.udp_encap ? "  udp-encap 4500" : "");
				strbuf_printf(out, "    %s encaps: %llu packets, %llu bytes",
					      b->side[s]->ir->name, (unsigned long long)o->counters.packets,
					      (unsigned long long)o->counters.bytes);
				sa_drops(out, &o->counters);
				strbuf_printf(out, "\n    %s decaps: %llu packets, %llu bytes",
					      b->side[1 - s]->ir->name,
					      (unsigned long long)in->counters.packets,
					      (unsigned long long)in->counters.bytes);
				sa_drops(out, &in->counters);
				strbuf_putc(out, '\n');
			}
		}
	}
	strbuf_puts(out, "gateways:\n");
	for (size_t i = 0; i < e->gws.n; i++) {
		const struct gw_state *gs = &e->gws.v[i];
		strbuf_printf(out, "  %s: sent %llu, received %llu, encapsulated %llu, decapsulated %llu, delivered %llu",
			      gs->mg->ir->name, (unsigned long long)gs->sent,
			      (unsigned long long)gs->received, (unsigned long long)gs->encaps,
			      (unsigned long long)gs->decaps, (unsigned long long)gs->delivered);
		for (size_t j = 0; j < gs->drops.n; j++)
			strbuf_printf(out, "%s%s %llu", j ? ", " : "; drops: ", gs->drops.v[j].reason,
				      (unsigned long long)gs->drops.v[j].n);
		strbuf_putc(out, '\n');
	}
}
