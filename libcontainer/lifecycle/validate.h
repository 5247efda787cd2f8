/* berth: the one place where a config is judged (docs/architecture.md,
 * "Where a config is judged").
 *
 * create and run call container_config_validate() right after parsing,
 * before any state dir, cgroup, mount or process exists.  Everything that
 * can be refused from the config (and the host it meets) is refused here,
 * so the code that later makes things never fails on input.  */
#ifndef BERTH_VALIDATE_H
#define BERTH_VALIDATE_H

#include <stdbool.h>

#include "base/error.h"
#include "libcontainer/network/net-config.h"
#include "oci-spec/config.h"

/* Whose namespace of one type the container is in.  */
typedef enum ns_owner
{
  NS_OWNER_HOST = 0, /* left out (inherited), or a `path` to berth's own */
  NS_OWNER_NEW,      /* a new one */
  NS_OWNER_JOINED,   /* a `path` to another one */
} ns_owner;

typedef struct validate_opts
{
  const char *console_socket; /* NULL: none */
  bool foreground;            /* run without detach */
} validate_opts;

/* What the pass found that create needs later.  */
typedef struct config_verdict
{
  ns_owner ns[OCI_NS_TYPES];
  net_config net;             /* the run.oci.berth.net.* annotations */
} config_verdict;

/* Judges the whole config; messages start with "config.json: ".  */
int container_config_validate (const oci_config *config,
                               const validate_opts *opts,
                               config_verdict *out, berth_error **err);

/* The pieces, for the unit tests and for exec.  `owners` as above.  */
int validate_sysctls (const oci_config *config, const ns_owner *owners,
                      berth_error **err);
int validate_namespaces (const oci_config *config, ns_owner *owners,
                         berth_error **err);

#endif
