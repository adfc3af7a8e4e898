/* hostile_check.c - proves that the client generated from accept_hostile.yaml
 * means what the spec says, although every name and text in it is hostile:
 *
 * - enum constants map to and from their wire values byte for byte;
 * - JSON with every hostile wire name is read into the right members and
 *   written back byte for byte;
 * - validation messages quote wire names and required_if values exactly;
 * - a call sends the hostile path, query and body names correctly encoded
 *   (against tests/support/mock_server.c) and reads the response.
 *
 * Built and run by tests/hostile/run.sh. Note "?\?" in literals: this file
 * is compiled with trigraphs on (-std=c11), like the generated code.
 */
#include "hz_api.h"
#include "mock_server.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "hostile_check.c:%d: ", __LINE__);                    \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            failures++;                                                      \
        }                                                                    \
    } while (0)

static void str_eq(int line, const char *got, const char *want)
{
    if (got && !strcmp(got, want))
        return;
    fprintf(stderr, "hostile_check.c:%d: got '%s', want '%s'\n", line, got ? got : "(null)", want);
    failures++;
}
#define STR_EQ(got, want) str_eq(__LINE__, (got), (want))

/* ---- enums ----------------------------------------------------------------- */

static void check_string_enum(void)
{
    static const struct {
        hz_type_t value;
        const char *wire;
    } values[] = {
        {HZ_TYPE_A_B, "a b"},
        {HZ_TYPE_1ST, "1st"},
        {HZ_TYPE______, "\xc3\xa9-\xc3\xbc"},
        {HZ_TYPE_X__Y, "x*/y"},
        {HZ_TYPE____, "?\?/"},
        {HZ_TYPE_BACK_SLASH, "back\\slash"},
        {HZ_TYPE__Q_, "\"q\""},
        {HZ_TYPE__S_N, "%s%n"},
        {HZ_TYPE_MINUS_DASH, "-dash"},
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        STR_EQ(hz_type_to_string(values[i].value), values[i].wire);
        CHECK(hz_type_from_string(values[i].wire) == values[i].value,
              "from_string(\"%s\") is %d", values[i].wire,
              (int)hz_type_from_string(values[i].wire));
    }
    CHECK(hz_type_from_string("a b ") == HZ_TYPE__UNKNOWN, "near miss is known");
    CHECK(hz_type_to_string(HZ_TYPE__UNKNOWN) == NULL, "UNKNOWN has text");
}

/* Values that differ only in letter case: the first keeps the constant,
 * later ones get _2, _3 (docs/spec-format.md); each maps both ways. */
static void check_case_enum(void)
{
    static const struct {
        hz_letter_case_t value;
        const char *wire;
    } values[] = {
        {HZ_LETTER_CASE_A, "A"},
        {HZ_LETTER_CASE_A_2, "a"},
        {HZ_LETTER_CASE_ABC, "aBc"},
        {HZ_LETTER_CASE_ABC_2, "ABC"},
        {HZ_LETTER_CASE_ABC_3, "abc"},
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        STR_EQ(hz_letter_case_to_string(values[i].value), values[i].wire);
        CHECK(hz_letter_case_from_string(values[i].wire) == values[i].value,
              "from_string(\"%s\") is %d", values[i].wire,
              (int)hz_letter_case_from_string(values[i].wire));
    }
    CHECK(hz_letter_case_from_string("Abc") == HZ_LETTER_CASE__UNKNOWN,
          "a case variant the spec does not list is known");
}

/* Names the runtime uses get a trailing '_': HZ_LOG_INFO is a log level. */
static void check_runtime_names(void)
{
    STR_EQ(hz_log_to_string(HZ_LOG_INFO_), "info");
    STR_EQ(hz_log_to_string(HZ_LOG_VERBOSE), "verbose");
    STR_EQ(hz_client__to_string(HZ_CLIENT__NEW), "new");
    hz_error__t *e = NULL;
    hz_error_t err;
    const char *json = "{\"code\":7}";
    CHECK(hz_error__parse(&e, json, strlen(json), &err) == 0 && e->has_code && e->code == 7,
          "type error");
    hz_error__free(e);
}

static void check_int_enum(void)
{
    CHECK(HZ_DEFAULT__MINUS_2147483648 == INT_MIN, "INT_MIN constant");
    CHECK(HZ_DEFAULT__2147483647 == INT_MAX, "INT_MAX constant");
    CHECK(hz_default__is_known(INT_MIN) && hz_default__is_known(0) &&
              hz_default__is_known(INT_MAX),
          "listed values unknown");
    CHECK(!hz_default__is_known(2147483648LL) && !hz_default__is_known(1),
          "unlisted values known");
}

/* ---- JSON ---------------------------------------------------------------------- */

/* Every body field, in field order, as cJSON prints it. */
static const char body_json[] =
    "{\"type\":\"a b\",\"default\":-2147483648,\"int\":9007199254740991,"
    "\"register\":false,\"EOF\":1e+308,\"sp ace\":\"a\\\"b\\\\c*/?\?/\","
    "\"back\\\\slash*/\":\"x\","
    "\"\xe4\xb8\xad\xe6\x96\x87name\":{\"?\?=trigraph\":\"t\",\"%s\":1},"
    "\"new\":[{\"%s\":-1},{}],\"a-b\":[\"\xf0\x9f\x98\x80\",\"\"]}";

static void check_body_round_trip(void)
{
    hz_hostile_call_body_t *b = NULL;
    hz_error_t err;
    int rc = hz_hostile_call_body_parse(&b, body_json, strlen(body_json), &err);
    CHECK(rc == 0, "parse: %s at %s", err.message, err.path);
    if (rc)
        return;
    STR_EQ(b->type, "a b");
    CHECK(b->has_default_ && b->default_ == INT_MIN, "default");
    CHECK(b->has_int_ && b->int_ == 9007199254740991LL, "int");
    CHECK(b->has_register_ && !b->register_, "register");
    CHECK(b->has_EOF_ && b->EOF_ == 1e308, "EOF");
    STR_EQ(b->sp_ace, "a\"b\\c*/?\?/");
    STR_EQ(b->back_slash__, "x");
    CHECK(b->_name_ && b->_name_->has__s && b->_name_->_s == 1, "%%s");
    STR_EQ(b->_name_ ? b->_name_->_trigraph_ : NULL, "t");
    CHECK(b->new__count == 2 && b->new_[0]._s == -1 && !b->new_[1].has__s, "new");
    CHECK(b->a_b_count == 2, "a-b");
    char *text = hz_hostile_call_body_print(b);
    STR_EQ(text, body_json);
    cJSON_free(text);
    hz_hostile_call_body_free(b);
}

/* ---- validation ---------------------------------------------------------------- */

static void check_violations(const char *json, const char *want)
{
    hz_hostile_call_body_t *b = NULL;
    hz_violations_t v = {0};
    hz_error_t err;
    char got[2048] = "";
    if (hz_hostile_call_body_parse(&b, json, strlen(json), &err) < 0) {
        CHECK(0, "parse %s: %s", json, err.message);
        return;
    }
    hz_hostile_call_body_validate(b, &v);
    for (size_t i = 0; i < v.count; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s %s\n",
                 v.items[i].path, v.items[i].message);
    STR_EQ(got, want);
    hz_violations_free(&v);
    hz_hostile_call_body_free(b);
}

static void check_validation(void)
{
    check_violations("{\"type\":\"1st\",\"sp ace\":\"a\\\"b\\\\c*/?\?/\"}",
                     "/back\\slash*~1 is required when sp ace is a\"b\\c*/?\?/\n");
    check_violations("{\"type\":\"1st\",\"sp ace\":\"a\\\"b\\\\c*/?\?/\","
                     "\"back\\\\slash*/\":\"\"}", "");
    check_violations("{\"type\":\"a b \",\"default\":1,\"EOF\":-1.7976931348623157e308}",
                     "/type must be one of: a b, 1st, \xc3\xa9-\xc3\xbc, x*/y, ?\?/, "
                     "back\\slash, \"q\", %s%n, -dash\n"
                     "/default must be one of: -2147483648, 2147483647, 0 (is 1)\n"
                     "/EOF must be between -1e+308 and 1e+308 (is -1.7976931348623157e+308)\n");

    /* INT64_MIN cannot be read from JSON (beyond 2^53), only set. */
    hz_hostile_call_body_t b = hz_hostile_call_body_init_zero;
    hz_violations_t v = {0};
    b.type = (char *)"1st";
    b.has_min64 = true;
    b.min64 = INT64_MIN;
    CHECK(hz_hostile_call_body_validate(&b, &v) == 1, "INT64_MIN required_if");
    if (v.count == 1) {
        STR_EQ(v.items[0].path, "/when min");
        STR_EQ(v.items[0].message, "is required when min64 is -9223372036854775808");
    }
    hz_violations_free(&v);
}

/* ---- a call ------------------------------------------------------------------------ */

static void check_call(void)
{
    mock_server_t *srv;
    hz_client_t *c = NULL;
    hz_client_options_t o;
    hz_error_t err;
    hz_hostile_call_request_t req;
    hz_hostile_call_data_t *data = NULL;

    if (mock_server_start(&srv) < 0) {
        CHECK(0, "cannot start the mock server");
        return;
    }
    hz_client_options_init(&o);
    o.base_url = mock_server_url(srv);
    CHECK(hz_client_new(&c, &o, &err) == 0, "client: %s", err.message);
    CHECK(hz_client_set_tenant_token(c, "t-hostile", &err) == 0, "token");
    memset(&req, 0, sizeof req);
    req.path.item_id = "a/b c";
    req.query.q_uote = "v\"&=";
    req.query.has_page = true;
    req.query.page = -7;
    req.query.has_page_text = true;
    req.query.page_text = true;
    req.body.type = (char *)"x*/y";
    mock_server_push_json(srv, 200, "{\"code\":0,\"msg\":\"ok\",\"data\":"
                          "{\"x*/y\":\"r\",\"_Bool\":\"b\",\"__reserved\":\"c\"}}");
    int rc = hz_hostile_call(c, &req, &data, &err);
    CHECK(rc == 0, "call: %s", err.message);
    const mock_request_t *r = mock_server_request(srv, 0);
    if (r) {
        STR_EQ(r->method, "POST");
        STR_EQ(r->path, "/open-apis/hz/v1/it's(*)/a%2Fb%20c/x");
        STR_EQ(r->query, "q%22uote=v%22%26%3D&page=-7&page_text=true");
        STR_EQ(r->body, "{\"type\":\"x*/y\"}");
    }
    if (data) {
        STR_EQ(data->x__y, "r");
        STR_EQ(data->Bool_, "b");
        STR_EQ(data->_reserved_, "c");
    }
    hz_hostile_call_data_free(data);
    hz_client_free(c);
    mock_server_stop(srv);
}

int main(void)
{
    if (hz_global_init() < 0)
        return 1;
    check_string_enum();
    check_case_enum();
    check_int_enum();
    check_runtime_names();
    check_body_round_trip();
    check_validation();
    check_call();
    hz_global_cleanup();
    if (failures)
        fprintf(stderr, "hostile_check: %d check(s) failed\n", failures);
    return failures != 0;
}
