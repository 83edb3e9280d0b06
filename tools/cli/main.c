/*
 * sri_registry.c -- sri-registry: main() and command dispatch.
 *
 * Why: the registry is the inventory of every third-party resource a site
 * trusts; this tool is how people keep it (add, refresh, approve, verify)
 * without hand-editing hashes.  main() only reads the global options and
 * hands over to one cmd_*.c file per command.
 */
#include "config.h"
#include "tool.h"

#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <libxml/parser.h>
#include <apr_general.h>

const tool_command tool_commands[] = {
    { "hash", cmd_hash, "[--algo sha256|sha384|sha512] FILE|-",
      "print the integrity token of a file (default sha384)",
      "  --algo ALGO     sha256, sha384 (default) or sha512\n", 0 },
    { "add", cmd_add,
      "URL [--integrity TOKEN | --file PATH | --key[=KEY]] [--why TEXT] "
      "[--by NAME]",
      "record a resource: a given token, a local copy's hash, or fetch it",
      "  --integrity TOKEN  record this token (no network)\n"
      "  --file PATH        record the hash of a local copy (no network)\n"
      "  --key              fetch it and pin the key that validly signed it\n"
      "                     (signature-based SRI) instead of its hash\n"
      "  --key=KEY          ... and require that key (KEYFILE[.pub] or\n"
      "                     ed25519-TOKEN; note the '=')\n"
      "  --algo ALGO        algorithm for --file and fetches (default sha384)\n"
      "  --why TEXT         justification (PCI DSS 6.4.3)\n"
      "  --by NAME          who approves it (sets approved-by/approved-at)\n"
      "  --no-cors-check    record even without Access-Control-Allow-Origin\n"
      "  --origin ORIGIN    Origin sent in the CORS check\n"
      "  --allow-http       allow http:// URLs\n"
      "  --cacert FILE      trust this CA too\n"
      "  --max-size BYTES   refuse bodies larger than this (default 10M)\n"
      "  --timeout SECONDS  whole-transfer timeout (default 60)\n"
      "  --force            record even if the URL looks unpinnable\n"
      "  --no-npm-check     skip the npm second source\n"
      "  --npm-registry URL npm registry (default https://registry.npmjs.org)\n"
      "  --npm-cdn HOST[:PORT]=jsdelivr|unpkg|cdnjs  another npm-backed CDN\n", 1 },
    { "list", cmd_list, "", "print the entries, one per line", "", 0 },
    { "check", cmd_check, "",
      "validate the registry file (errors and warnings)", "", 0 },
    { "apply", cmd_apply, "--url DOCUMENT_URL [FILE]",
      "rewrite HTML (FILE or stdin) to stdout with the module's core",
      "  --url URL        the absolute URL the document is served at\n"
      "  --scope third-party|all   which scripts to pin (default third-party)\n"
      "  --unknown allow|log|block unregistered third-party scripts\n"
      "  --replace        replace integrity attributes already present\n"
      "  --stats          print counters on stderr\n", 0 },
    { "approve", cmd_approve, "URL [--token TOKEN] --by NAME [--why TEXT]",
      "move a pending token to approved (the old token stays until retire)",
      "  --token TOKEN    which pending token (needed when several)\n"
      "  --by NAME        who approves (required)\n"
      "  --why TEXT       justification (required if the entry has none)\n", 1 },
    { "retire", cmd_retire, "URL TOKEN",
      "remove an approved or pending token from an entry", "", 1 },
    { "remove", cmd_remove, "URL", "remove an entry", "", 1 },
    { "refresh", cmd_refresh, "[URL...] [--json]",
      "fetch entries; unchanged: mark verified; changed: record as pending",
      "  --json           machine-readable result on stdout\n"
      "  --jobs N         parallel fetches (default 4)\n"
      "  --allow-http --cacert FILE --max-size BYTES --timeout SECONDS\n"
      "  --no-npm-check --npm-registry URL --npm-cdn HOST=STYLE (as for add)\n", 1 },
    { "verify", cmd_verify, "[URL...] [--json]",
      "like refresh, read-only (for cron and CI)",
      "  --json           machine-readable result on stdout\n"
      "  --jobs N         parallel fetches (default 4)\n"
      "  --allow-http --cacert FILE --max-size BYTES --timeout SECONDS\n"
      "  --no-npm-check --npm-registry URL --npm-cdn HOST=STYLE (as for add)\n", 0 },
    { "inventory", cmd_inventory, "[--format text|csv|json|html]",
      "the PCI DSS 6.4.3 inventory of scripts",
      "  --format FMT     text (default), csv, json or html (one page for\n"
      "                   an assessor: totals, drift highlighted, digest)\n", 0 },
    { "scan", cmd_scan, "--url BASE_URL PATH... [--add] [--fail-unknown] [--json]",
      "list third-party scripts/stylesheets in HTML files or directories",
      "  --url URL        the URL PATH is served at (for a directory: its root)\n"
      "  --add            record unknown URLs as pending (fetching them)\n"
      "  --fail-unknown   exit 3 on unknown, fail-open or mismatch URLs\n"
      "  --json           machine-readable result on stdout\n"
      "  --allow-http --cacert FILE --max-size BYTES --timeout SECONDS\n", 1 },
    { "reports", cmd_reports, "LOG... [--json]",
      "summarise mod_sri log lines and browser violation reports per URL",
      "  --json           machine-readable summary\n"
      "  (with -r or $SRI_REGISTRY, each URL's registry status is shown)\n", 0 },
    { "keygen", cmd_keygen, "KEYFILE",
      "create an Ed25519 key pair (KEYFILE 0600, KEYFILE.pub); print its pin",
      "", 0 },
    { "sign", cmd_sign, "--key KEYFILE FILE|-",
      "print the signature-based SRI headers for FILE (Unencoded-Digest, ...)",
      "  --key KEYFILE    the Ed25519 private key (PEM)\n", 0 },
    /* Fleets: one signed registry, many servers (issue #14). */
    { "sign-registry", cmd_sign_registry, "[--key KEY]",
      "write REGISTRY.sig, an Ed25519 signature over the registry's bytes",
      "  --key KEY        the signer's private key (PKCS#8 PEM); default\n"
      "                   --sign KEY or $SRI_REGISTRY_SIGN_KEY\n", 1 },
    { "pull", cmd_pull, "URL --key PUBKEY [--key PUBKEY]... [--cacert FILE]",
      "fetch a signed registry (URL, URL.sig), verify it, install it",
      "  --key PUBKEY     a trusted signer's public key (PEM); one or more\n"
      "  --cacert FILE    trust this CA too\n"
      "  --allow-http     allow an http:// URL (the signature still holds;\n"
      "                   TLS hides what is fetched and when)\n"
      "  --max-size BYTES refuse a larger registry (default 64M)\n"
      "  --timeout SECONDS  whole-transfer timeout (default 60)\n"
      "  exit: 0 installed or nothing new, 2 origin unreachable, 3 refused\n"
      "  (no or bad signature, untrusted key, altered, rollback)\n", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 }
};

static void global_usage(FILE *to)
{
    const tool_command *c;
    fprintf(to,
        "usage: sri-registry [-r REGISTRY] [--sign KEY] COMMAND [ARGS] [OPTIONS]\n"
        "\n"
        "Keep the registry of third-party resources that mod_sri pins with\n"
        "Subresource Integrity.  The registry is -r FILE, else $SRI_REGISTRY.\n"
        "--sign KEY (else $SRI_REGISTRY_SIGN_KEY): every command that writes\n"
        "the registry also signs it into REGISTRY.sig.\n"
        "\n"
        "commands:\n");
    for (c = tool_commands; c->name; c++)
        fprintf(to, "  %-13s %s\n", c->name, c->summary);
    fprintf(to,
        "\n"
        "sri-registry COMMAND --help shows a command's options.\n"
        "exit status: 0 fine, 1 usage or local error, 2 fetch errors,\n"
        "3 drift or tampering.  See sri-registry(1).\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "registry", required_argument, NULL, 'r' },
        { "quiet",    no_argument,       NULL, 'q' },
        { "help",     no_argument,       NULL, 'h' },
        { "version",  no_argument,       NULL, 'V' },
        { "sign",     required_argument, NULL, 'S' },
        { NULL, 0, NULL, 0 }
    };
    tool_ctx t;
    const tool_command *c;
    int opt, rc;

    memset(&t, 0, sizeof(t));
    opterr = 0;
    /* '+': stop at the command; its options are its own. */
    while ((opt = getopt_long(argc, argv, "+:r:qhV", longopts, NULL)) != -1) {
        switch (opt) {
        case 'r': t.registry = optarg; break;
        case 'q': t.quiet = 1; break;
        case 'S': t.sign_key = optarg; break;
        case 'h': global_usage(stdout); return EXIT_OK;
        case 'V': printf("sri-registry (%s) %s\n", PACKAGE_NAME,
                         PACKAGE_VERSION);
                  return EXIT_OK;
        case ':': tool_err("option %s needs a value", argv[optind - 1]);
                  return EXIT_LOCAL;
        default:  tool_err("unknown option %s", argv[optind - 1]);
                  global_usage(stderr);
                  return EXIT_LOCAL;
        }
    }
    if (optind >= argc) {
        global_usage(stderr);
        return EXIT_LOCAL;
    }
    if (!t.registry) {
        const char *env = getenv("SRI_REGISTRY");
        if (env && *env)
            t.registry = env;
    }
    if (!t.sign_key) {
        const char *env = getenv("SRI_REGISTRY_SIGN_KEY");
        if (env && *env)
            t.sign_key = env;
    }
    for (c = tool_commands; c->name; c++)
        if (!strcmp(c->name, argv[optind]))
            break;
    if (!c->name) {
        tool_err("unknown command '%s'", argv[optind]);
        global_usage(stderr);
        return EXIT_LOCAL;
    }
    t.command = c->name;

    apr_app_initialize(&argc, (const char *const **)&argv, NULL);
    apr_pool_create(&t.p, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    xmlInitParser();
    /* The command sees argv[0] = its name, as getopt expects. */
    {
        int first = optind;
        optind = 0;
        rc = c->run(&t, argc - first, argv + first);
    }
    xmlCleanupParser();
    curl_global_cleanup();
    apr_pool_destroy(t.p);
    apr_terminate();
    return rc;
}
