/* berth: uid and gid maps of a new user namespace, from the parent.
 *
 * Root writes any map.  An unprivileged caller (rootless) may write only a
 * map of its own id, and for the gid map only once setgroups is denied;
 * wider maps go through the setuid helpers of shadow's uidmap package,
 * which grant the ranges /etc/subuid and /etc/subgid give the user.  berth
 * hands them exactly the config's ranges and nothing more: the helpers are
 * the only privileged step, and they judge.  */
#include "libcontainer/lifecycle/id-maps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"

bool
id_map_needs_helper (const oci_id_mapping *m, size_t n, uint32_t id)
{
  return !(n == 1 && m[0].host_id == id && m[0].size == 1);
}

static const char *
field_of (const char *file)
{
  return strcmp (file, "uid_map") == 0 ? "linux.uidMappings"
                                       : "linux.gidMappings";
}

static int
write_direct (pid_t pid, const char *file, const oci_id_mapping *m, size_t n,
              berth_error **err)
{
  char path[64];
  cleanup_free char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);

  if (out == NULL)
    return berth_error_sys (err, "open_memstream");
  for (size_t i = 0; i < n; i++)
    fprintf (out, "%u %u %u\n", m[i].container_id, m[i].host_id, m[i].size);
  fclose (out);
  snprintf (path, sizeof path, "/proc/%d/%s", (int) pid, file);
  /* The kernel takes the whole map in one write.  */
  if (write_file_at (AT_FDCWD, path, buf, len, err) < 0)
    return berth_error_wrap (err, "%s", field_of (file));
  return 0;
}

/* "0 100000 65536, 1 2 3" for messages.  */
static char *
ranges_text (const oci_id_mapping *m, size_t n)
{
  char *s = xstrdup ("");
  for (size_t i = 0; i < n; i++)
    {
      char *t = xasprintf ("%s%s%u %u %u", s, i ? ", " : "",
                           m[i].container_id, m[i].host_id, m[i].size);
      free (s);
      s = t;
    }
  return s;
}

/* Runs HELPER PID c h s [c h s ...] and waits for it; its stderr is
   quoted in the error when it refuses.  */
static int
run_helper (pid_t pid, const char *file, const oci_id_mapping *m, size_t n,
            berth_error **err)
{
  const char *helper = strcmp (file, "uid_map") == 0 ? "newuidmap"
                                                     : "newgidmap";
  const char *db = strcmp (file, "uid_map") == 0 ? "/etc/subuid"
                                                 : "/etc/subgid";
  cleanup_free char *ranges = ranges_text (m, n);
  cleanup_strv char **argv = xmalloc0 ((3 * n + 3) * sizeof *argv);
  char msg[1024];
  size_t got = 0;
  int pipefd[2], status;
  ssize_t r;
  pid_t child;

  argv[0] = xstrdup (helper);
  argv[1] = xasprintf ("%d", (int) pid);
  for (size_t i = 0; i < n; i++)
    {
      argv[2 + 3 * i] = xasprintf ("%u", m[i].container_id);
      argv[3 + 3 * i] = xasprintf ("%u", m[i].host_id);
      argv[4 + 3 * i] = xasprintf ("%u", m[i].size);
    }
  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    return berth_error_sys (err, "pipe");
  berth_debug ("%s %d %s", helper, (int) pid, ranges);
  child = fork ();
  if (child < 0)
    {
      close (pipefd[0]);
      close (pipefd[1]);
      return berth_error_sys (err, "fork %s", helper);
    }
  if (child == 0)
    {
      /* stdout and stderr to the pipe, so the refusal can be quoted.  */
      if (dup2 (pipefd[1], 1) < 0 || dup2 (pipefd[1], 2) < 0)
        _exit (126);
      execvp (helper, argv);
      dprintf (2, "%s", errno == ENOENT ? "not found" : strerror (errno));
      _exit (errno == ENOENT ? 127 : 126);
    }
  close (pipefd[1]);
  while (got < sizeof msg - 1
         && ((r = read (pipefd[0], msg + got, sizeof msg - 1 - got)) > 0
             || (r < 0 && errno == EINTR)))
    if (r > 0)
      got += (size_t) r;
  close (pipefd[0]);
  msg[got] = '\0';
  while (got && (msg[got - 1] == '\n' || msg[got - 1] == ' '))
    msg[--got] = '\0';
  while (waitpid (child, &status, 0) < 0)
    if (errno != EINTR)
      return berth_error_sys (err, "wait for %s", helper);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  if (WIFEXITED (status) && WEXITSTATUS (status) == 127)
    return berth_error_set (err, 0, "%s: mapping %s without root needs %s "
                            "(Debian package uidmap), which is not "
                            "installed",
                            field_of (file), ranges, helper);
  return berth_error_set (err, 0, "%s: %s refused the ranges %s for uid %u "
                          "(they must be granted in %s): %s",
                          field_of (file), helper, ranges,
                          (unsigned) geteuid (), db, msg);
}

int
id_maps_write (pid_t pid, const oci_linux *lx, berth_error **err)
{
  bool uid_helper, gid_helper;

  if (geteuid () == 0)
    return write_direct (pid, "uid_map", lx->uid_mappings,
                         lx->n_uid_mappings, err) < 0
                   || write_direct (pid, "gid_map", lx->gid_mappings,
                                    lx->n_gid_mappings, err) < 0
               ? -1
               : 0;

  uid_helper = id_map_needs_helper (lx->uid_mappings, lx->n_uid_mappings,
                                    geteuid ());
  gid_helper = id_map_needs_helper (lx->gid_mappings, lx->n_gid_mappings,
                                    getegid ());
  if (uid_helper)
    {
      if (run_helper (pid, "uid_map", lx->uid_mappings, lx->n_uid_mappings,
                      err) < 0)
        return -1;
    }
  else if (write_direct (pid, "uid_map", lx->uid_mappings,
                         lx->n_uid_mappings, err) < 0)
    return -1;

  if (gid_helper)
    return run_helper (pid, "gid_map", lx->gid_mappings, lx->n_gid_mappings,
                       err);
  {
    /* Without CAP_SETGID over the parent namespace the kernel takes a gid
       map only once setgroups is denied.  */
    char path[64];
    snprintf (path, sizeof path, "/proc/%d/setgroups", (int) pid);
    if (write_file_at (AT_FDCWD, path, "deny", 4, err) < 0)
      return -1;
  }
  return write_direct (pid, "gid_map", lx->gid_mappings, lx->n_gid_mappings,
                       err);
}
