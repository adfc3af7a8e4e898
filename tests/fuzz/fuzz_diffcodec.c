/* fuzz_diffcodec.c - libFuzzer target: the OLD and the NEW codec of the
 * corehr specs (tests/diffcodec/diffcodec.h) must agree on any input.
 *
 * The first two bytes pick the struct (big-endian index into the table
 * of tests/diffcodec, modulo its size); the rest is the JSON text. Both
 * codecs read it through _parse and, when cJSON reads it, _from_json; they
 * must return the same code and, on success, print the same bytes, build
 * the same tree and find the same violations. A disagreement aborts with
 * both sides' results. The seeds are the specs' examples, written by
 * `diffcodec --seeds DIR`. DIFFCODEC_PERTURB=parse|print|to_json|validate
 * in the environment makes the new side wrong on purpose (diffcodec.h):
 * then the seeds alone must abort, which shows the target would.
 *
 * tests/fuzz/run.sh builds it (`run.sh 60 diffcodec`): tests/diffcodec/
 * prepare.sh makes the two codecs, then this file, diffcodec.c and both
 * bundles are compiled with -fsanitize=fuzzer,address,undefined.
 */
#include "diffcodec.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *perturb = getenv("DIFFCODEC_PERTURB");
    (void)argc;
    (void)argv;
    if (perturb && !dc_perturb_from_name(perturb, &dc_perturb)) {
        fprintf(stderr, "fuzz_diffcodec: unknown DIFFCODEC_PERTURB '%s'\n", perturb);
        exit(2);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const dc_type_t *t = &dc_types[((size_t)data[0] << 8 | data[1]) % dc_type_count];
    dc_outcome_t o;
    dc_compare(t, (const char *)data + 2, size - 2, &o);
    if (o.disagree) {
        fprintf(stderr, "fuzz_diffcodec: %s (%s of %s): %s\n", t->name, t->part, t->endpoint,
                o.why);
        abort();
    }
    return 0;
}
