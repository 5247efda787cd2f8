/* berth: the config.json `berth spec` writes, the same document as
 * `runc spec` (and `runc spec --rootless`) but for ociVersion and
 * hostname.  */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "base/utils.h"
#include "oci-spec/json-gen.h"
#include "oci-spec/state.h"

/* The spec version berth implements, from the Makefile.  */
#ifdef BERTH_SPEC_VERSION
#define DEFAULT_SPEC_VERSION BERTH_SPEC_VERSION
#else
#define DEFAULT_SPEC_VERSION "1.3.0"
#endif

static const char *const default_caps[]
    = { "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL };

static const char *const default_env[]
    = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "TERM=xterm", NULL };

static const char *const masked_paths[]
    = { "/proc/acpi",          "/proc/asound",      "/proc/kcore",
        "/proc/keys",          "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats",   "/proc/sched_debug", "/sys/firmware",
        "/proc/scsi",          NULL };

static const char *const readonly_paths[]
    = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
        "/proc/sysrq-trigger", NULL };

struct spec_mount
{
  const char *destination;
  const char *type;
  const char *source;
  const char *options[8];
  bool rootful;   /* in the default spec */
  bool rootless;  /* in the --rootless one */
};

/* Rootless: no gid=5 on devpts (there is no group 5 in a one-id user
   namespace), /sys is a read-only rbind (sysfs cannot be mounted without
   owning the network namespace), and the rbind already carries the host's
   /sys/fs/cgroup.  */
static const struct spec_mount mounts[] = {
  { "/proc", "proc", "proc", { NULL }, true, true },
  { "/dev", "tmpfs", "tmpfs",
    { "nosuid", "strictatime", "mode=755", "size=65536k", NULL }, true, true },
  { "/dev/pts", "devpts", "devpts",
    { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620",
      "gid=5", NULL },
    true, false },
  { "/dev/pts", "devpts", "devpts",
    { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620",
      NULL },
    false, true },
  { "/dev/shm", "tmpfs", "shm",
    { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL }, true,
    true },
  { "/dev/mqueue", "mqueue", "mqueue", { "nosuid", "noexec", "nodev", NULL },
    true, true },
  { "/sys", "sysfs", "sysfs", { "nosuid", "noexec", "nodev", "ro", NULL },
    true, false },
  { "/sys", "none", "/sys",
    { "rbind", "nosuid", "noexec", "nodev", "ro", NULL }, false, true },
  { "/sys/fs/cgroup", "cgroup", "cgroup",
    { "nosuid", "noexec", "nodev", "relatime", "ro", NULL }, true, false },
};

static void
kv (yajl_gen g, const char *key, const char *value)
{
  json_gen_str (g, key);
  json_gen_str (g, value);
}

static void
key_int (yajl_gen g, const char *key, long long v)
{
  json_gen_str (g, key);
  json_gen_int (g, v);
}

static void
key_strv (yajl_gen g, const char *key, const char *const *v)
{
  json_gen_str (g, key);
  yajl_gen_array_open (g);
  for (; *v; v++)
    json_gen_str (g, *v);
  yajl_gen_array_close (g);
}

static void
gen_process (yajl_gen g)
{
  json_gen_str (g, "process");
  yajl_gen_map_open (g);
  json_gen_key_bool (g, "terminal", true);
  json_gen_str (g, "user");
  yajl_gen_map_open (g);
  key_int (g, "uid", 0);
  key_int (g, "gid", 0);
  yajl_gen_map_close (g);
  key_strv (g, "args", (const char *const[]){ "sh", NULL });
  key_strv (g, "env", default_env);
  kv (g, "cwd", "/");
  json_gen_str (g, "capabilities");
  yajl_gen_map_open (g);
  key_strv (g, "bounding", default_caps);
  key_strv (g, "effective", default_caps);
  key_strv (g, "permitted", default_caps);
  yajl_gen_map_close (g);
  json_gen_str (g, "rlimits");
  yajl_gen_array_open (g);
  yajl_gen_map_open (g);
  kv (g, "type", "RLIMIT_NOFILE");
  key_int (g, "hard", 1024);
  key_int (g, "soft", 1024);
  yajl_gen_map_close (g);
  yajl_gen_array_close (g);
  json_gen_key_bool (g, "noNewPrivileges", true);
  yajl_gen_map_close (g);
}

static void
gen_mounts (yajl_gen g, bool rootless)
{
  size_t i;

  json_gen_str (g, "mounts");
  yajl_gen_array_open (g);
  for (i = 0; i < sizeof mounts / sizeof mounts[0]; i++)
    {
      const struct spec_mount *m = &mounts[i];
      if (rootless ? !m->rootless : !m->rootful)
        continue;
      yajl_gen_map_open (g);
      kv (g, "destination", m->destination);
      kv (g, "type", m->type);
      kv (g, "source", m->source);
      if (m->options[0])
        key_strv (g, "options", m->options);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

static void
gen_id_mapping (yajl_gen g, const char *key, uint32_t host_id)
{
  json_gen_str (g, key);
  yajl_gen_array_open (g);
  yajl_gen_map_open (g);
  key_int (g, "containerID", 0);
  key_int (g, "hostID", host_id);
  key_int (g, "size", 1);
  yajl_gen_map_close (g);
  yajl_gen_array_close (g);
}

static void
gen_namespace (yajl_gen g, const char *type)
{
  yajl_gen_map_open (g);
  kv (g, "type", type);
  yajl_gen_map_close (g);
}

static void
gen_linux (yajl_gen g, bool rootless, bool cgroupns, uint32_t uid,
           uint32_t gid)
{
  /* runc's order: the cgroup namespace after mount, the user namespace
     last.  */
  static const char *const rootful_ns[]
      = { "pid", "network", "ipc", "uts", "mount", NULL };
  static const char *const rootless_ns[]
      = { "pid", "ipc", "uts", "mount", NULL };
  const char *const *ns;

  json_gen_str (g, "linux");
  yajl_gen_map_open (g);
  if (rootless)
    {
      gen_id_mapping (g, "uidMappings", uid);
      gen_id_mapping (g, "gidMappings", gid);
    }
  else
    {
      json_gen_str (g, "resources");
      yajl_gen_map_open (g);
      json_gen_str (g, "devices");
      yajl_gen_array_open (g);
      yajl_gen_map_open (g);
      json_gen_key_bool (g, "allow", false);
      kv (g, "access", "rwm");
      yajl_gen_map_close (g);
      yajl_gen_array_close (g);
      yajl_gen_map_close (g);
    }
  json_gen_str (g, "namespaces");
  yajl_gen_array_open (g);
  for (ns = rootless ? rootless_ns : rootful_ns; *ns; ns++)
    gen_namespace (g, *ns);
  if (cgroupns)
    gen_namespace (g, "cgroup");
  if (rootless)
    gen_namespace (g, "user");
  yajl_gen_array_close (g);
  key_strv (g, "maskedPaths", masked_paths);
  key_strv (g, "readonlyPaths", readonly_paths);
  yajl_gen_map_close (g);
}

char *
oci_default_spec_json (bool rootless, bool cgroupns, uint32_t uid,
                       uint32_t gid, size_t *len)
{
  yajl_gen g = json_gen_new ("\t");

  yajl_gen_map_open (g);
  kv (g, "ociVersion", DEFAULT_SPEC_VERSION);
  gen_process (g);
  json_gen_str (g, "root");
  yajl_gen_map_open (g);
  kv (g, "path", "rootfs");
  json_gen_key_bool (g, "readonly", true);
  yajl_gen_map_close (g);
  kv (g, "hostname", "berth");
  gen_mounts (g, rootless);
  gen_linux (g, rootless, cgroupns, uid, gid);
  yajl_gen_map_close (g);

  return json_gen_finish (g, len);
}
