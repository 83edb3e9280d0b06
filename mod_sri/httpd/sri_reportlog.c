/*
 * sri_reportlog.c -- SRIReportLog: opened by the parent, written by children.
 *
 * Why: the report log must behave like httpd's own logs.  Child processes
 * run as the unprivileged User, so a log they opened themselves would have
 * to be writable by that user (and a root-owned file under /var/log gave
 * 500 "Permission denied").  As CustomLog does, the parent opens every
 * distinct SRIReportLog once per configuration generation in the open_logs
 * hook, while it is still root: a file in append mode, or "|program" through
 * httpd's reliable piped-log API (rotatelogs, logger, ...), restarted by
 * httpd if it dies.  Children inherit the descriptor and write each report
 * with one write(2): O_APPEND keeps concurrent lines whole in a file, and a
 * pipe keeps them whole up to PIPE_BUF bytes, as with CustomLog.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_hash.h"
#include "apr_file_io.h"

#include "mod_sri.h"

APLOG_USE_MODULE(sri);

int sri_report_logs_open(apr_pool_t *pconf, server_rec *s)
{
    apr_hash_t *logs = sri_config_report_logs(pconf, 0);
    apr_hash_index_t *hi;

    if (!logs)
        return OK;
    for (hi = apr_hash_first(NULL, logs); hi; hi = apr_hash_next(hi)) {
        sri_report_log *l;
        apr_status_t rv;
        void *val;

        apr_hash_this(hi, NULL, NULL, &val);
        l = val;
        if (l->name[0] == '|') {
            /* "|prog args" (no shell), "||prog" and "|$shell command", as
               ap_open_piped_log() reads them for CustomLog and ErrorLog. */
            piped_log *pl = ap_open_piped_log(pconf, l->name + 1);
            if (!pl) {
                ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                             "SRI: cannot start the piped report log %s",
                             l->name + 1);
                return HTTP_INTERNAL_SERVER_ERROR;
            }
            l->file = ap_piped_log_write_fd(pl);
            continue;
        }
        /* Unbuffered, so one apr_file_write() is one write(2). */
        rv = apr_file_open(&l->file, l->name,
                           APR_FOPEN_WRITE | APR_FOPEN_CREATE |
                           APR_FOPEN_APPEND | APR_FOPEN_LARGEFILE,
                           APR_FPROT_UREAD | APR_FPROT_UWRITE |
                           APR_FPROT_GREAD, pconf);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                         "SRI: cannot open the report log %s", l->name);
            l->file = NULL;
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}

apr_status_t sri_report_log_write(const sri_report_log *l, const char *line,
                                  apr_size_t len)
{
    apr_size_t n = len;
    apr_status_t rv;

    if (!l->file)
        return APR_EBADF;
    rv = apr_file_write(l->file, line, &n);
    if (rv == APR_SUCCESS && n != len)
        rv = APR_EGENERAL;              /* a short write: disk full */
    return rv;
}
