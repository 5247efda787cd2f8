/* berth list: the containers under --root.  */
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "libcontainer/lifecycle/container.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth list [options]\n"
      "\n"
      "List the containers under --root.  One whose state cannot be read\n"
      "is named in a warning on stderr, as runc does.\n"
      "\n"
      "Options:\n"
      "  -f, --format FORMAT  table (default) or json\n"
      "  -q, --quiet          only the IDs\n"
      "  -h, --help           this help\n";

static void
print_table (oci_state **s, size_t n)
{
  int w_id = 2, w_pid = 3, w_status = 6, w_bundle = 6, w_created = 7;

  for (size_t i = 0; i < n; i++)
    {
      char pid[16];
      int l;
      snprintf (pid, sizeof pid, "%d",
                strcmp (s[i]->status, "stopped") == 0 ? 0 : s[i]->pid);
      if ((l = (int) strlen (s[i]->id)) > w_id)
        w_id = l;
      if ((l = (int) strlen (pid)) > w_pid)
        w_pid = l;
      if ((l = (int) strlen (s[i]->status)) > w_status)
        w_status = l;
      if ((l = (int) strlen (s[i]->bundle)) > w_bundle)
        w_bundle = l;
      if (s[i]->created && (l = (int) strlen (s[i]->created)) > w_created)
        w_created = l;
    }
  printf ("%-*s   %-*s   %-*s   %-*s   %-*s   %s\n", w_id, "ID", w_pid, "PID",
          w_status, "STATUS", w_bundle, "BUNDLE", w_created, "CREATED",
          "OWNER");
  for (size_t i = 0; i < n; i++)
    printf ("%-*s   %-*d   %-*s   %-*s   %-*s   %s\n", w_id, s[i]->id, w_pid,
            strcmp (s[i]->status, "stopped") == 0 ? 0 : s[i]->pid, w_status,
            s[i]->status, w_bundle, s[i]->bundle, w_created,
            s[i]->created ? s[i]->created : "",
            s[i]->owner && s[i]->owner[0] ? s[i]->owner : "root");
}

/* The owner column, as runc: the user owning the container's state
   directory, by name, or "#UID" when no user has that uid.  */
static void
set_owner (const char *root, oci_state *s)
{
  cleanup_free char *dir = NULL;
  struct passwd *pw;
  struct stat st;

  dir = xasprintf ("%s/%s", root, s->id);
  if (stat (dir, &st) < 0)
    return;
  free (s->owner);
  pw = getpwuid (st.st_uid);
  if (pw)
    s->owner = xstrdup (pw->pw_name);
  else
    s->owner = xasprintf ("#%u", (unsigned) st.st_uid);
}

int
cmd_list (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option opts[] = {
    { "format", required_argument, NULL, 'f' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *format = "table";
  bool quiet = false;
  oci_state **states = NULL;
  size_t n = 0;
  int c;

  while ((c = getopt_long (argc, argv, "f:qh", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'f':
          format = optarg;
          break;
        case 'q':
          quiet = true;
          break;
        case 'h':
          return print_help (help);
        default:
          return usage_error (err, "list", "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  if (optind != argc)
    return usage_error (err, "list", "takes no arguments");
  if (strcmp (format, "table") != 0 && strcmp (format, "json") != 0)
    return usage_error (err, "list", "--format: unknown format \"%s\"",
                        format);
  if (container_list (g->root, &states, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    set_owner (g->root, states[i]);
  if (quiet)
    for (size_t i = 0; i < n; i++)
      printf ("%s\n", states[i]->id);
  else if (strcmp (format, "json") == 0)
    {
      size_t len;
      char *json = oci_state_list_to_json (states, n, &len);
      fwrite (json, 1, len, stdout);
      fputc ('\n', stdout);
      free (json);
    }
  else
    print_table (states, n);
  for (size_t i = 0; i < n; i++)
    oci_state_free (states[i]);
  free (states);
  return 0;
}
