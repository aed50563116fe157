/* view.c — see view.h.
 *
 * The views are kept by connection in a direct-mapped cache, each with
 * everything it was made from: the connection's state and options, "now"
 * for the verdicts that say how long ago (no-response, pending: "now" is
 * the latest capture time, and a pending connection becomes no-response
 * or half-open as time passes; no other verdict changes with time alone),
 * and the capture's generation for refused (the forged-RST test compares
 * with the server's other connections). A visible tree asks for the same
 * sentence on every packet of a connection: it is formatted once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "diagnosis.h"
#include "td_limits.h"
#include "textbuf.h"

enum {
    HAVE_TUPLE = 1u << 0,
    HAVE_RST = 1u << 1,
    HAVE_RETRIES = 1u << 2,
    HAVE_SENTENCE = 1u << 3,
    HAVE_OPTIONS = 1u << 4,
    HAVE_FINDINGS = 1u << 5,
    HAVE_EVIDENCE = 1u << 6
};

typedef struct {
    td_view view;            /* first: a td_view* is its entry */
    unsigned file;           /* the file the entry belongs to (file_epoch) */
    /* what the view was made from */
    td_conn c;
    td_opts o;
    int64_t now;
    guint64 gen;
    /* facts computed on first use */
    unsigned have;
    gboolean tuple_ok;
    td_tuple tuple;
    td_view_rst rst;
    const char *retries;     /* retries_text or NULL */
    const char *findings;    /* findings_text or NULL */
    guint64 conclusion_gen;  /* G_MAXUINT64: not looked up */
    guint64 conclusion_ev_gen;
    const char *conclusion;
    gboolean conclusion_owner;
    /* checklist evidence (HAVE_EVIDENCE), from ev_gen */
    guint64 ev_gen;
    const td_conn_evidence *ce; /* the connection's record (evidence_table.c) or NULL, */
    guint64 ce_gen;             /* looked up at this evidence generation */
    const char *server_name;
    const char *duplicate;   /* duplicate_text or NULL */
    td_zw_kind zw;
    gboolean link_local;
    char server_label[TD_TEXT_MAX / 2];
    char zw_text[TD_TEXT_MAX];
    char link_local_text[TD_TEXT_MAX];
    char duplicate_text[TD_TEXT_MAX / 2];
    char conclusion_text[TD_TEXT_MAX * 2];
    char retries_text[TD_RETRIES_TEXT_MAX];
    char sentence[TD_TEXT_MAX];
    char options[TD_TEXT_MAX];
    char findings_text[TD_TEXT_MAX];
} entry_t;

static entry_t cache[TD_VIEW_SLOTS];
static unsigned file_epoch;         /* one per file: entries of others are empty */
static const td_prefs *judge_prefs; /* the entry file's, for verdicts */

void td_view_init(const td_prefs *p)
{
    judge_prefs = p;
    /* Not a memset of the cache (~4 MB): touching every page cost the
     * start-up 2.6 M instructions and the RSS its size, on any capture. */
    file_epoch++;
}

static entry_t *entry_of(const td_view *v)
{
    return (entry_t *)(uintptr_t)v; /* the view is the entry's first member */
}

static gboolean time_dependent(td_verdict v)
{
    return v == TD_V_NO_RESPONSE || v == TD_V_PENDING;
}

/* A connection's slot, by its tcp.stream: TCP numbers streams in order of
 * appearance, so the connections open at one time get different slots. By
 * the record's address (interleaved with TCP's own file-scope allocations)
 * they collided every few dozen connections: half the sentences of a 4.0
 * `-T fields` run over the bench mix were formatted again (callgrind). */
static entry_t *slot_of(const td_conn_ext *cx)
{
    uintptr_t k = TD_STREAM(cx) != TD_STREAM_NONE ? TD_STREAM(cx) : (uintptr_t)cx / sizeof *cx;
    return &cache[k % TD_VIEW_SLOTS];
}

const td_view *td_view_of(const td_conn_ext *cx)
{
    entry_t *e = slot_of(cx);
    if (e->file != file_epoch) { /* a record of another file may share cx's address */
        e->file = file_epoch;
        e->view.cx = NULL;
    }
    int64_t now = td_capture_last_ts();
    guint64 gen = td_conn_table_generation();
    guint64 ev_gen = td_evidence_generation();
    if (e->view.cx == cx && e->ev_gen != ev_gen)
        e->have &= ~(unsigned)(HAVE_EVIDENCE | HAVE_SENTENCE);
    e->ev_gen = ev_gen;
    if (e->view.cx == cx && memcmp(&e->c, &cx->c, sizeof e->c) == 0 &&
        memcmp(&e->o, &cx->opts, sizeof e->o) == 0 &&
        (!time_dependent(e->view.verdict) || e->now == now) &&
        (e->view.verdict != TD_V_REFUSED || e->gen == gen))
        return &e->view;
    /* What depends on the connection alone (its endpoints) or on its
     * options alone (their summary and findings) survives other changes. */
    unsigned keep = 0;
    if (e->view.cx == cx)
        keep = HAVE_TUPLE |
               (memcmp(&e->o, &cx->opts, sizeof e->o) == 0 ? HAVE_OPTIONS | HAVE_FINDINGS : 0);
    if (e->view.cx != cx) {
        e->ce = NULL;
        e->ce_gen = G_MAXUINT64;
    }
    e->view.cx = cx;
    e->view.c = &cx->c;
    e->view.opts = &cx->opts;
    e->view.verdict = td_verdict_of(cx, judge_prefs);
    e->view.evidence_frame = td_conn_evidence_frame(&cx->c, e->view.verdict);
    memcpy(&e->c, &cx->c, sizeof e->c);
    memcpy(&e->o, &cx->opts, sizeof e->o);
    e->now = now;
    e->gen = gen;
    e->have &= keep;
    e->conclusion_gen = G_MAXUINT64;
    return &e->view;
}

gboolean td_view_tuple(const td_view *v, const td_tuple **t, int *client_end)
{
    entry_t *e = entry_of(v);
    if (!(e->have & HAVE_TUPLE)) {
        e->tuple_ok = td_conn_tuple(v->cx, &e->tuple);
        e->have |= HAVE_TUPLE;
    }
    *t = &e->tuple;
    *client_end = v->c->client_dir <= 1 ? v->c->client_dir : 0;
    return e->tuple_ok;
}

gboolean td_view_is_ipv6(const td_view *v)
{
    const td_tuple *t;
    int ce;
    return td_view_tuple(v, &t, &ce) && td_tuple_is_ipv6(t);
}

uint16_t td_view_server_port(const td_view *v)
{
    const td_tuple *t;
    int ce;
    if (v->c->client_dir > 1 || !td_view_tuple(v, &t, &ce))
        return 0;
    return t->port[ce ^ 1];
}

const td_view_rst *td_view_rst_of(const td_view *v)
{
    entry_t *e = entry_of(v);
    if (!(e->have & HAVE_RST)) {
        memset(&e->rst, 0, sizeof e->rst);
        if (v->verdict == TD_V_REFUSED)
            e->rst.judged = td_capture_rst_judgement(v->cx, &e->rst.forged, &e->rst.rst_ttl,
                                             &e->rst.server_ttl);
        e->have |= HAVE_RST;
    }
    return &e->rst;
}

const char *td_view_icmp_reporter(const td_view *v)
{
    const td_answers *ai = td_conn_answers(v->cx);
    return ai ? ai->icmp_reporter : NULL;
}

const char *td_view_retries(const td_view *v)
{
    entry_t *e = entry_of(v);
    if (!(e->have & HAVE_RETRIES)) {
        const td_answers *ai = td_conn_answers(v->cx);
        e->retries = NULL;
        if (ai && ai->n_retries) {
            td_textbuf o;
            td_text_init(&o, e->retries_text, sizeof e->retries_text);
            for (guint i = 0; i < ai->n_retries; i++) {
                char d[32];
                td_format_duration(d, sizeof d, (int64_t)ai->retry_us[i] * 1000);
                td_text_put(&o, "%s+%s", i ? ", " : "", d);
            }
            e->retries = e->retries_text;
        }
        e->have |= HAVE_RETRIES;
    }
    return e->retries;
}

/* The server's and client's addresses as td_ip (FALSE when unknown). */
static gboolean endpoints(const td_view *v, td_ip *client, td_ip *server)
{
    const td_tuple *t;
    int ce;
    if (v->c->client_dir > 1 || !td_view_tuple(v, &t, &ce))
        return FALSE;
    *client = td_ip_of_tuple(t, ce);
    *server = td_ip_of_tuple(t, ce ^ 1);
    return server->family != 0;
}

static void load_evidence(const td_view *v)
{
    entry_t *e = entry_of(v);
    if (e->have & HAVE_EVIDENCE)
        return;
    e->have |= HAVE_EVIDENCE;
    e->server_name = NULL;
    e->duplicate = NULL;
    e->zw = TD_ZW_NONE;
    e->link_local = FALSE;
    const td_checklist *cl = td_evidence_checklist();
    const td_conn_evidence *ce = td_evidence_of_conn(v->cx);
    if (!cl && !ce)
        return; /* most connections of most captures: no endpoints needed */
    td_ip client, server;
    gboolean have_ends = endpoints(v, &client, &server);
    if (cl && ce && ce->name_id != TD_DNS_NONE) {
        e->server_name = td_dns_name_of(&cl->dns, ce->name_id);
        char ip[TD_IP_STRLEN];
        if (have_ends)
            td_ip_format(&server, ip, sizeof ip);
        g_snprintf(e->server_label, sizeof e->server_label, "%s (%s)", e->server_name,
                   have_ends ? ip : "?");
    }
    if (ce && ce->zw_seen) {
        e->zw = (td_zw_kind)ce->zw;
        td_zw_sentence(e->zw, &ce->zw_in, e->zw_text, sizeof e->zw_text);
    }
    if (ce && ce->link_local) {
        e->link_local = TRUE;
        e->link_local_text[0] = '\0';
        if (cl && have_ends)
            td_dhcp_link_local_finding(&cl->dhcp, &client, ce->have_mac ? &ce->client_mac : NULL,
                                       td_capture_last_ts(), e->link_local_text,
                                       sizeof e->link_local_text);
    }
    const td_nb_addr *a = cl && have_ends ? td_nb_find(&cl->nb, &server) : NULL;
    if (a && td_nb_is_duplicate(a)) {
        char ip[TD_IP_STRLEN], m[TD_MAC_STRLEN];
        td_textbuf o;
        td_ip_format(&server, ip, sizeof ip);
        td_text_init(&o, e->duplicate_text, sizeof e->duplicate_text);
        td_text_put(&o, "%s claimed by", ip);
        for (unsigned i = 0; i < a->n_macs; i++) {
            td_mac_format(&a->macs[i], m, sizeof m);
            td_text_put(&o, "%s %s", i == 0 ? "" : i + 1 == a->n_macs ? " and" : ",", m);
        }
        e->duplicate = e->duplicate_text;
    }
}

const td_conn_evidence *td_view_conn_evidence(const td_view *v)
{
    /* A record, once made, stays for the file; making one bumps the
     * evidence generation: so a miss is looked up again only then. */
    entry_t *e = entry_of(v);
    guint64 gen = td_evidence_generation();
    if (!e->ce && e->ce_gen != gen) {
        e->ce = td_evidence_of_conn(v->cx);
        e->ce_gen = gen;
    }
    return e->ce;
}

const char *td_view_server_name(const td_view *v)
{
    load_evidence(v);
    return entry_of(v)->server_name;
}

td_zw_kind td_view_zero_window(const td_view *v, const char **sentence)
{
    load_evidence(v);
    entry_t *e = entry_of(v);
    *sentence = e->zw != TD_ZW_NONE ? e->zw_text : NULL;
    return e->zw;
}

gboolean td_view_client_link_local(const td_view *v)
{
    load_evidence(v);
    return entry_of(v)->link_local;
}

const char *td_view_server_duplicate(const td_view *v)
{
    load_evidence(v);
    return entry_of(v)->duplicate;
}

const char *td_view_sentence(const td_view *v)
{
    entry_t *e = entry_of(v);
    if (e->have & HAVE_SENTENCE)
        return e->sentence;
    const td_conn *c = v->c;
    uint16_t server_port = td_view_server_port(v);
    td_diagnosis_named(e->sentence, sizeof e->sentence, c, v->verdict, td_capture_last_ts(),
                       server_port, td_view_server_name(v) ? e->server_label : NULL);
    td_textbuf o;
    td_text_resume(&o, e->sentence, sizeof e->sentence);
    const char *retries;
    if ((v->verdict == TD_V_NO_RESPONSE || (c->findings & TD_F_SLOW_CONNECT)) &&
        (retries = td_view_retries(v)) != NULL)
        td_text_put(&o, "; SYN retries at %s", retries);
    const td_view_rst *r = td_view_rst_of(v);
    if (v->verdict == TD_V_REFUSED && r->judged && r->forged)
        td_text_put(&o,
                    "; but the RST came with TTL %u while the server's own packets come with "
                    "TTL %u: it was sent by a device in front of the server (a firewall "
                    "rejecting the port, or a NAT/port-forwarding box that does not forward "
                    "it), not by the server; check firewall/IPS rules and port forwarding for "
                    "port %u",
                    r->rst_ttl, r->server_ttl, server_port);
    /* The checklist findings that explain the connection (issue 11). */
    const char *zw;
    if (td_view_zero_window(v, &zw) != TD_ZW_NONE && zw && zw[0])
        td_text_put(&o, "; %s", zw);
    if (td_view_client_link_local(v) && e->link_local_text[0])
        td_text_put(&o, "; %s", e->link_local_text);
    e->have |= HAVE_SENTENCE;
    return e->sentence;
}

const char *td_view_options(const td_view *v)
{
    entry_t *e = entry_of(v);
    if (!(e->have & HAVE_OPTIONS)) {
        td_opts_summary(e->options, sizeof e->options, v->opts);
        e->have |= HAVE_OPTIONS;
    }
    return e->options;
}

const char *td_view_option_findings(const td_view *v)
{
    entry_t *e = entry_of(v);
    if (!(e->have & HAVE_FINDINGS)) {
        gboolean v6 = td_view_is_ipv6(v);
        e->findings = td_opts_findings(v->opts, v6)
                          ? td_opts_findings_text(e->findings_text, sizeof e->findings_text,
                                                  v->opts, v6)
                          : NULL;
        e->have |= HAVE_FINDINGS;
    }
    return e->findings;
}

const char *td_view_conclusion(const td_view *v, gboolean *owner)
{
    entry_t *e = entry_of(v);
    guint64 gen = td_conn_table_generation();
    guint64 ev_gen = td_evidence_generation();
    if (e->conclusion_gen != gen || e->conclusion_ev_gen != ev_gen) {
        e->conclusion = td_capture_conclusion_of(td_capture_analysis(judge_prefs), v->cx);
        e->conclusion_owner = e->conclusion && td_capture_conclusion_owner(e->conclusion, v->cx);
        e->conclusion_gen = gen;
        e->conclusion_ev_gen = ev_gen;
        /* The checklist's word on the server, after the connections' own:
         * a duplicate address, and ping against the unanswered SYNs (the
         * article's steps 3-4). */
        td_textbuf o;
        td_text_init(&o, e->conclusion_text, sizeof e->conclusion_text);
        const td_checklist *cl = td_evidence_checklist();
        td_ip client, server;
        gboolean dup = FALSE;
        char t[TD_TEXT_MAX];
        int64_t now = td_capture_last_ts(), thr = td_prefs_threshold_ns(judge_prefs);
        if (cl && endpoints(v, &client, &server)) {
            const td_nb_addr *a = td_nb_find(&cl->nb, &server);
            /* Two hosts answering for the server's address explain its
             * resets and timeouts better than any pattern of the
             * connections ("the service stopped" would be a false cause). */
            dup = a && td_nb_is_duplicate(a) && td_nb_conclusion(&cl->nb, a, now, thr, t, sizeof t);
            if (dup)
                td_text_put(&o, "%s", t);
        }
        if (e->conclusion && !dup)
            td_text_put(&o, "%s", e->conclusion);
        size_t plain = dup ? 0 : strlen(e->conclusion_text);
        if (cl && endpoints(v, &client, &server)) {
            if (v->verdict == TD_V_NO_RESPONSE &&
                td_ping_server_sentence(&cl->ping, &server, td_view_server_port(v), now, thr, t,
                                        sizeof t))
                td_text_put(&o, "%s%s", o.used ? "; " : "", t);
        }
        if (strlen(e->conclusion_text) > plain || (!e->conclusion && e->conclusion_text[0]))
            e->conclusion = e->conclusion_text;
    }
    *owner = e->conclusion_owner;
    return e->conclusion;
}
