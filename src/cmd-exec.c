/* berth exec: run a new process in a created or running container (runc
 * exec).  */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/process/cap-api.h"
#include "libcontainer/process/caps.h"
#include "base/cleanup.h"
#include "libcontainer/lifecycle/exec.h"
#include "base/log.h"
#include "base/utils.h"
#include "src/commands.h"
#include "src/create-options.h"

static const char help[]
    = "Usage: berth exec [options] ID COMMAND [ARG...]\n"
      "       berth exec [options] --process FILE ID\n"
      "\n"
      "Run a new process in a created or running container: in every\n"
      "namespace and the cgroup of its init, with its seccomp filter.  What\n"
      "the options leave out comes from the container's config.json\n"
      "process (env, cwd, user, capabilities, rlimits, noNewPrivileges,\n"
      "apparmorProfile, selinuxLabel, ...).  In the foreground berth\n"
      "forwards the signals it receives to the process, waits for it and\n"
      "exits with its status (128+N when it was killed by signal N); when\n"
      "berth fails before the process runs, it exits with 255.\n"
      "\n"
      "Options:\n"
      "  -p, --process FILE         the process as a JSON object (config.json\n"
      "                             \"process\"); fields it leaves out come\n"
      "                             from the container; the options below\n"
      "                             override it\n"
      "  -d, --detach               return once the process has started\n"
      "  --pid-file FILE            write the process's pid to FILE\n"
      "  --cwd DIR                  working directory in the container\n"
      "  -e, --env KEY=VALUE        set an environment variable "
      "(repeatable)\n"
      "  -u, --user UID[:GID]       run as this user (and group)\n"
      "  -g, --additional-gids GID  add a supplementary group (repeatable)\n"
      "  -c, --cap CAP              add a capability to the bounding,\n"
      "                             effective and permitted sets "
      "(repeatable)\n"
      "  --no-new-privs             set no_new_privs for the process\n"
      "  --apparmor PROFILE         AppArmor profile of the process\n"
      "  --process-label LABEL      SELinux label of the process\n"
      "  --preserve-fds N           pass fds 3 to 3+N-1 to the process\n"
      "  -t, --tty                  allocate a terminal: its master goes to\n"
      "                             --console-socket (with --detach), or\n"
      "                             berth proxies its own terminal\n"
      "  --console-socket PATH      with --tty --detach: the unix socket the\n"
      "                             pty master is sent to (berth-console-socket(7))\n"
      "  --pidfd-socket PATH        send a pidfd of the process to the AF_UNIX\n"
      "                             socket PATH (SCM_RIGHTS, as runc 1.2)\n"
      "  --cgroup [CTRL[,CTRL]:]PATH\n"
      "                             run in this existing sub-cgroup of the\n"
      "                             container's cgroup: v2 one PATH; v1\n"
      "                             controller:PATH pairs (repeatable), or\n"
      "                             one PATH for every controller\n"
      "  --ignore-paused            exec in a paused container too: the\n"
      "                             process runs once it is resumed\n"
      "  -h, --help                 this help\n";

enum
{
  OPT_CONSOLE_SOCKET = 256,
  OPT_PID_FILE,
  OPT_CWD,
  OPT_NO_NEW_PRIVS,
  OPT_APPARMOR,
  OPT_PROCESS_LABEL,
  OPT_PRESERVE_FDS,
  OPT_PIDFD_SOCKET,
  OPT_CGROUP,
  OPT_IGNORE_PAUSED,
};

static const struct option opts[] = {
  { "process", required_argument, NULL, 'p' },
  { "tty", no_argument, NULL, 't' },
  { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
  { "detach", no_argument, NULL, 'd' },
  { "pid-file", required_argument, NULL, OPT_PID_FILE },
  { "cwd", required_argument, NULL, OPT_CWD },
  { "env", required_argument, NULL, 'e' },
  { "user", required_argument, NULL, 'u' },
  { "additional-gids", required_argument, NULL, 'g' },
  { "cap", required_argument, NULL, 'c' },
  { "no-new-privs", no_argument, NULL, OPT_NO_NEW_PRIVS },
  { "apparmor", required_argument, NULL, OPT_APPARMOR },
  { "process-label", required_argument, NULL, OPT_PROCESS_LABEL },
  { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
  { "pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET },
  { "cgroup", required_argument, NULL, OPT_CGROUP },
  { "ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* A uid or gid: a decimal number below 2^32-1 ((uid_t) -1 means "leave
   unchanged" to the kernel).  */
static int
parse_id (const char *opt, const char *s, uint32_t *out, berth_error **err)
{
  char *end;
  unsigned long long v;

  errno = 0;
  v = strtoull (s, &end, 10);
  if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0
      || v >= UINT32_MAX)
    return berth_error_set (err, 0, "exec: %s: \"%s\" is not a numeric id",
                            opt, s);
  *out = (uint32_t) v;
  return 0;
}

static int
parse_user (const char *s, exec_overrides *o, berth_error **err)
{
  cleanup_free char *copy = xstrdup (s);
  char *colon = strchr (copy, ':');

  if (colon)
    {
      *colon = '\0';
      if (parse_id ("--user", colon + 1, &o->gid, err) < 0)
        return -1;
      o->has_gid = true;
    }
  if (parse_id ("--user", copy, &o->uid, err) < 0)
    return -1;
  o->has_uid = true;
  return 0;
}

static void
push (char ***v, size_t *n, char *s)
{
  *v = xrealloc (*v, (*n + 1) * sizeof (char *));
  (*v)[(*n)++] = s;
}

static oci_process *
load_process (const char *path, berth_error **err)
{
  cleanup_free char *json = NULL;
  size_t len = 0;
  oci_process *p;

  if (read_file_at (AT_FDCWD, path, &json, &len, err) < 0)
    {
      berth_error_wrap (err, "exec: --process");
      return NULL;
    }
  p = oci_process_parse (json, len, path, err);
  if (p == NULL)
    berth_error_wrap (err, "exec: --process");
  return p;
}

static int
parse_options (int argc, char **argv, container_exec_opts *o,
               const char **id, const char **process_path, berth_error **err)
{
  exec_overrides *ov = &o->overrides;
  int c;

  while ((c = getopt_long (argc, argv, "+:p:tde:u:g:c:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'p':
          *process_path = optarg;
          break;
        case 't':
          ov->tty = true;
          break;
        case OPT_CONSOLE_SOCKET:
          o->console_socket = optarg;
          break;
        case 'd':
          o->detach = true;
          break;
        case OPT_PID_FILE:
          o->pid_file = optarg;
          break;
        case OPT_CWD:
          ov->cwd = optarg;
          break;
        case 'e':
          push (&ov->env, &ov->n_env, optarg);
          break;
        case 'u':
          if (parse_user (optarg, ov, err) < 0)
            return -1;
          break;
        case 'g':
          {
            uint32_t gid;
            if (parse_id ("--additional-gids", optarg, &gid, err) < 0)
              return -1;
            ov->additional_gids
                = xrealloc (ov->additional_gids,
                            (ov->n_additional_gids + 1) * sizeof (uint32_t));
            ov->additional_gids[ov->n_additional_gids++] = gid;
            break;
          }
        case 'c':
          {
            cap_value_t v;
            /* Here in the host's root, before any clone.  */
            if (cap_api_load (err) < 0)
              return -1;
            if (caps_from_name (optarg, &v) < 0)
              return berth_error_set (err, 0, "exec: --cap: unknown "
                                              "capability \"%s\"",
                                      optarg);
            push (&ov->caps, &ov->n_caps, optarg);
            break;
          }
        case OPT_NO_NEW_PRIVS:
          ov->no_new_privs = true;
          break;
        case OPT_APPARMOR:
          ov->apparmor = optarg;
          break;
        case OPT_PROCESS_LABEL:
          ov->process_label = optarg;
          break;
        case OPT_PRESERVE_FDS:
          if (parse_preserve_fds ("exec", optarg, &o->preserve_fds, err) < 0)
            return -1;
          break;
        case OPT_PIDFD_SOCKET:
          o->pidfd_socket = optarg;
          break;
        case OPT_CGROUP:
          push (&o->cgroups, &o->n_cgroups, optarg);
          break;
        case OPT_IGNORE_PAUSED:
          o->ignore_paused = true;
          break;
        case 'h':
          return print_help (help), 1;
        case ':':
          return usage_error (err, "exec", "option \"%s\" needs a value",
                              argv[optind - 1]);
        default:
          return usage_error (err, "exec", "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  if (optind >= argc)
    return usage_error (err, "exec", "expected a container ID");
  *id = argv[optind++];
  ov->args = argv + optind;
  ov->n_args = (size_t) (argc - optind);
  if (ov->n_args == 0 && *process_path == NULL)
    return usage_error (err, "exec", "expected a command after the "
                                     "container ID, or --process");
  return 0;
}

static int
do_exec (global_opts *g, int argc, char **argv, int *code, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  container_exec_opts o;
  const char *process_path = NULL;
  const char *id = NULL;
  int ret;

  memset (&o, 0, sizeof o);
  ret = parse_options (argc, argv, &o, &id, &process_path, err);
  if (ret == 0 && process_path)
    {
      o.process = load_process (process_path, err);
      if (o.process == NULL)
        ret = -1;
    }
  if (ret == 0)
    ret = container_open (g->root, id, CONTAINER_OPEN_LOCK_SHARED, &h, err);
  if (ret == 0)
    ret = container_exec (h, &o, code, err);
  oci_process_free (o.process);
  free (o.overrides.env);
  free (o.overrides.caps);
  free (o.overrides.additional_gids);
  free (o.cgroups);
  return ret;
}

int
cmd_exec (global_opts *g, int argc, char **argv, berth_error **err)
{
  int code = 0;
  int ret = do_exec (g, argc, argv, &code, err);

  if (ret > 0)
    return 0;
  if (ret < 0)
    {
      /* As runc: 255 tells a failed exec from any status of the process.  */
      berth_log_error (*err);
      berth_error_clear (err);
      return 255;
    }
  return code;
}
