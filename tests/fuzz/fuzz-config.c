/* libFuzzer target for berth's config parser: any bytes as config.json,
 * then every check create makes before clone (process, mounts, seccomp
 * names, /proc destinations), then the same bytes as `update -r`'s
 * linux.resources.  The only acceptable outcomes are a parsed config or an
 * error with a message; a crash, a leak, undefined behaviour or a hang is
 * a bug.  Built and run by `make fuzz` (tests/fuzz/run).  */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "libcontainer/rootfs/mount-options.h"
#include "libcontainer/process/process.h"
#include "libcontainer/process/seccomp.h"
#include "oci-spec/config.h"

/* A failed parse or check must say why, as the CLI prints it.  */
static void
expect_message (int ret, berth_error **err)
{
  if (ret < 0 && (*err == NULL || (*err)->msg == NULL || (*err)->msg[0] == '\0'))
    {
      fprintf (stderr, "fuzz-config: failure without a message\n");
      abort ();
    }
  if (ret >= 0 && *err != NULL)
    {
      fprintf (stderr, "fuzz-config: success with an error set: %s\n",
               (*err)->msg);
      abort ();
    }
  berth_error_free (*err);
  *err = NULL;
}

static void
check_config (const oci_config *c)
{
  berth_error *err = NULL;
  const oci_linux *lx = c->linux_;

  if (c->process)
    expect_message (process_validate (c->process,
                                       lx ? lx->personality : NULL, &err),
                    &err);
  expect_message (mounts_validate (c, false, &err), &err);
  expect_message (mounts_validate (c, true, &err), &err);
  for (size_t i = 0; i < c->n_mounts; i++)
    (void) mount_proc_place (c->mounts[i].destination);
  if (lx && lx->seccomp)
    {
      (void) seccomp_uses_notify (lx->seccomp);
      expect_message (seccomp_validate (lx->seccomp, &err), &err);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  berth_error *err = NULL;
  oci_config *c;
  oci_resources *r;

  c = oci_config_parse ((const char *) data, size, "config.json", &err);
  expect_message (c ? 0 : -1, &err);
  if (c)
    {
      check_config (c);
      oci_config_free (c);
    }
  r = oci_resources_parse ((const char *) data, size, "resources", &err);
  expect_message (r ? 0 : -1, &err);
  oci_resources_free (r);
  return 0;
}
