/* berth: global options and dispatch to one command.  */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <unistd.h>
#include <yajl/yajl_version.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/userns.h"
#include "base/utils.h"
#include "cgroups/manager.h"
#include "libcontainer/process/scmp-api.h"
#include "oci-spec/log-line.h"
#include "src/commands.h"

static const command commands[] = {
  { "balloon", cmd_balloon, "reclaim a container's unused memory (cgroup v2)" },
  { "checkpoint", cmd_checkpoint, "checkpoint a running container (CRIU)" },
  { "create", cmd_create, "create a container from a bundle" },
  { "delete", cmd_delete, "delete a container and what create made" },
  { "events", cmd_events, "print resource usage and OOM events as JSON" },
  { "exec", cmd_exec, "run a new process in a container" },
  { "features", cmd_features, "print the features berth implements as JSON" },
  { "kill", cmd_kill, "send a signal to the container's process" },
  { "list", cmd_list, "list the containers under --root" },
  { "migrate", cmd_migrate, "live-migrate a container (CRIU)" },
  { "pause", cmd_pause, "freeze every process of a container" },
  { "ps", cmd_ps, "show the processes of a container" },
  { "restore", cmd_restore, "restore a container from a checkpoint" },
  { "resume", cmd_resume, "thaw a paused container" },
  { "run", cmd_run, "create and start a container" },
  { "spec", cmd_spec, "write a default config.json" },
  { "start", cmd_start, "run the user program of a created container" },
  { "state", cmd_state, "print the state of a container as JSON" },
  { "update", cmd_update, "change the cgroup limits of a container" },
};

static int
print_version (void)
{
  berth_error *err = NULL;
  const struct scmp_version *sv;

  /* libseccomp is opened on first use: the version is the loaded one's.  */
  if (scmp_api_load (&err) < 0)
    {
      fprintf (stderr, "berth: %s\n", err->msg);
      berth_error_free (err);
      return 1;
    }
  sv = seccomp_version ();
  printf ("berth version %s\n", BERTH_VERSION);
  printf ("commit: %s\n", BERTH_COMMIT);
  printf ("spec: %s\n", BERTH_SPEC_VERSION);
  printf ("libseccomp: %u.%u.%u\n", sv->major, sv->minor, sv->micro);
  printf ("libcap: %d.%d\n", LIBCAP_MAJOR, LIBCAP_MINOR);
  printf ("yajl: %d.%d.%d\n", YAJL_MAJOR, YAJL_MINOR, YAJL_MICRO);
  /* libmnl has no version call: the one berth was built against.  */
  printf ("libmnl: %s\n", BERTH_MNL_VERSION);
  return 0;
}

static void
print_usage (FILE *out)
{
  fprintf (out,
           "Usage: berth [global options] COMMAND [command options] [ID]\n"
           "\n"
           "berth is an OCI container runtime with runc's command line.\n"
           "\n"
           "Commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "\n"
           "Global options:\n"
           "  --root DIR             state directory (default /run/berth; without\n"
           "                         root, or as root in a user namespace,\n"
           "                         $XDG_RUNTIME_DIR/berth)\n"
           "  --log FILE             write diagnostics to FILE\n"
           "  --log-format FORMAT    text (default) or json\n"
           "  --debug                debug messages\n"
           "  --systemd-cgroup       the container's cgroup is a systemd "
           "unit (create, run;\n"
           "                         cgroupsPath \"slice:prefix:name\")\n"
           "  --rootless MODE        true, false or auto (default): the "
           "rootless cgroup\n"
           "                         handling (a cgroup only where berth "
           "may make one,\n"
           "                         else none and no limits); auto: when "
           "not root, or\n"
           "                         root in a user namespace\n"
           "  --criu PATH            the criu binary checkpoint/restore run\n"
           "  -v, --version          print the version\n"
           "  -h, --help             print this help\n"
           "\n"
           "berth COMMAND --help shows the options of a command.\n");
}

int
usage_error (berth_error **err, const char *cmd, const char *fmt, ...)
{
  va_list ap;
  char *msg = NULL;
  int r;

  va_start (ap, fmt);
  r = vasprintf (&msg, fmt, ap);
  va_end (ap);
  if (r < 0)
    abort ();
  berth_error_set (err, 0, "%s: %s (see berth %s --help)", cmd, msg, cmd);
  free (msg);
  return -1;
}

int
print_help (const char *text)
{
  fputs (text, stdout);
  return 0;
}

int
one_id_argument (const char *cmd, int argc, char **argv, int optind_,
                 const char **id, berth_error **err)
{
  if (argc - optind_ != 1)
    return usage_error (err, cmd, "expected one container ID, got %d",
                        argc - optind_);
  *id = argv[optind_];
  return 0;
}

int
parse_id_only (const char *cmd, const char *help, int argc, char **argv,
               const char **id, berth_error **err)
{
  static const struct option opts[] = {
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  int c;

  while ((c = getopt_long (argc, argv, "h", opts, NULL)) != -1)
    {
      if (c == 'h')
        return print_help (help), 1;
      return usage_error (err, cmd, "unknown option \"%s\"",
                          argv[optind - 1]);
    }
  return one_id_argument (cmd, argc, argv, optind, id, err);
}

/* --rootless VALUE, as runc parses it (parseBoolOrAuto: "auto" in any
   case, or Go's strconv.ParseBool spellings).  */
static int
parse_rootless (const char *v, cgroup_rootless_mode *out)
{
  static const char *const on[] = { "1", "t", "T", "TRUE", "true", "True" };
  static const char *const off[] = { "0", "f", "F", "FALSE", "false",
                                     "False" };

  if (v[0] == '\0' || strcasecmp (v, "auto") == 0)
    return *out = CGROUP_ROOTLESS_AUTO, 0;
  for (size_t i = 0; i < sizeof on / sizeof on[0]; i++)
    if (strcmp (v, on[i]) == 0)
      return *out = CGROUP_ROOTLESS_ON, 0;
  for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
    if (strcmp (v, off[i]) == 0)
      return *out = CGROUP_ROOTLESS_OFF, 0;
  return -1;
}

/* As runc (shouldHonorXDGRuntimeDir): a user keeps the state in
   $XDG_RUNTIME_DIR; so does the root of a user namespace (rootless
   podman's runtime) unless $USER says it is a login as root.  */
static bool
state_in_runtime_dir (void)
{
  const char *user;

  if (geteuid () != 0)
    return true;
  if (!in_user_namespace ())
    return false;
  user = getenv ("USER");
  return user == NULL || strcmp (user, "root") != 0;
}

enum
{
  OPT_ROOT = 256,
  OPT_LOG,
  OPT_LOG_FORMAT,
  OPT_DEBUG,
  OPT_SYSTEMD_CGROUP,
  OPT_CRIU,
  OPT_ROOTLESS,
};

int
main (int argc, char **argv)
{
  static const struct option opts[] = {
    { "root", required_argument, NULL, OPT_ROOT },
    { "log", required_argument, NULL, OPT_LOG },
    { "log-format", required_argument, NULL, OPT_LOG_FORMAT },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP },
    { "criu", required_argument, NULL, OPT_CRIU },
    { "rootless", required_argument, NULL, OPT_ROOTLESS },
    { "version", no_argument, NULL, 'v' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  global_opts g = { .root = NULL };
  cleanup_free char *user_root = NULL;
  const char *log_format = "text";
  berth_error *err = NULL;
  const char *name;
  int c, ret;

  opterr = 0;
  /* '+': stop at the command name; its options are its own.  */
  while ((c = getopt_long (argc, argv, "+vh", opts, NULL)) != -1)
    {
      switch (c)
        {
        case OPT_ROOT:
          g.root = optarg;
          break;
        case OPT_LOG:
          g.log = optarg;
          break;
        case OPT_LOG_FORMAT:
          log_format = optarg;
          break;
        case OPT_DEBUG:
          g.debug = true;
          break;
        case OPT_SYSTEMD_CGROUP:
          g.systemd_cgroup = true;
          break;
        case OPT_CRIU:
          g.criu = optarg;
          break;
        case OPT_ROOTLESS:
          {
            cgroup_rootless_mode mode;
            if (parse_rootless (optarg, &mode) < 0)
              {
                fprintf (stderr, "berth: --rootless: \"%s\" is not true, "
                                 "false or auto\n",
                         optarg);
                return 1;
              }
            cgroup_rootless_set (mode);
          }
          break;
        case 'v':
          return print_version ();
        case 'h':
          print_usage (stdout);
          return 0;
        default:
          fprintf (stderr, "berth: unknown global option \"%s\"\n",
                   argv[optind - 1]);
          print_usage (stderr);
          return 1;
        }
    }
  if (strcmp (log_format, "json") == 0)
    g.log_json = true;
  else if (strcmp (log_format, "text") != 0)
    {
      fprintf (stderr, "berth: --log-format: unknown format \"%s\" (text or "
                       "json)\n",
               log_format);
      return 1;
    }
  if (berth_log_init (g.log, g.log_json ? oci_log_line_json : NULL, g.debug,
                      &err)
      < 0)
    {
      fprintf (stderr, "berth: %s\n", err->msg);
      return 1;
    }
  if (optind >= argc)
    {
      print_usage (stderr);
      return 1;
    }
  if (g.root == NULL)
    {
      /* As runc: without root, the state lives in the user's runtime dir
         (a non-root berth cannot write /run).  */
      const char *xdg = getenv ("XDG_RUNTIME_DIR");
      bool own_dir = state_in_runtime_dir ();
      if (own_dir && xdg && xdg[0] == '/')
        g.root = user_root = xasprintf ("%s/berth", xdg);
      else if (geteuid () == 0)
        g.root = "/run/berth";
      else if (strcmp (argv[optind], "spec") == 0
               || strcmp (argv[optind], "features") == 0)
        g.root = "";  /* neither keeps state */
      else
        {
          berth_error_set (&err, 0, "$XDG_RUNTIME_DIR is not set: without "
                                    "root, berth keeps its state in "
                                    "$XDG_RUNTIME_DIR/berth; set it, or "
                                    "pass --root DIR");
          berth_log_error (err);
          return 1;
        }
    }
  if (g.root[0] == '\0' && user_root == NULL
      && strcmp (argv[optind], "spec") != 0
      && strcmp (argv[optind], "features") != 0)
    {
      berth_error_set (&err, 0, "--root: must not be empty");
      berth_log_error (err);
      return 1;
    }

  name = argv[optind];
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp (commands[i].name, name) == 0)
      {
        int cargc = argc - optind;
        char **cargv = argv + optind;
        /* Each command runs getopt over its own argv, from its name.  */
        optind = 0;
        opterr = 0;
        ret = commands[i].run (&g, cargc, cargv, &err);
        if (ret < 0)
          {
            berth_log_error (err);
            berth_error_free (err);
            return 1;
          }
        return ret;
      }
  /* Exit code 3, as runc (urfave/cli's "No help topic" exit code):
     engines probing for a command tell "absent" from "failed".  */
  berth_error_set (&err, 0, "unknown command \"%s\" (see berth --help)",
                   name);
  berth_log_error (err);
  return 3;
}
