/* berth: StartTransientUnit, SetUnitProperties and StopUnit over sd-bus,
 * waiting for each job.  */
#include "cgroups/systemd-dbus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "cgroups/internal.h"
#include "cgroups/sd-bus-api.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_PRIVATE "unix:path=/run/systemd/private"

/* A job under TCG or on a loaded host can take a while; systemd's own
   default job timeout for scopes is 90 s.  */
#define SD_JOB_WAIT_MS 120000
#define SD_CALL_USEC (120ULL * 1000000ULL)

int
cg_sd_bus_open (sd_bus **out, berth_error **err)
{
  sd_bus *bus = NULL;
  int r;

  *out = NULL;
  if (cg_sd_bus_api_load (err) < 0)
    return -1;
  r = sd_bus_open_system (&bus);
  if (r >= 0)
    {
      *out = bus;
      return 0;
    }
  berth_debug ("systemd: the system bus: %s; trying %s", strerror (-r),
               SD_PRIVATE);
  /* As runc (go-systemd) does for root: systemd's own socket works
     without a D-Bus daemon.  */
  r = sd_bus_new (&bus);
  if (r >= 0)
    r = sd_bus_set_address (bus, SD_PRIVATE);
  if (r >= 0)
    r = sd_bus_start (bus);
  if (r < 0)
    {
      sd_bus_unref (bus);
      return berth_error_set (err, -r, "systemd: cannot connect to the "
                              "system bus nor to %s",
                              SD_PRIVATE + strlen ("unix:path="));
    }
  *out = bus;
  return 0;
}

int
cg_sd_bus_open_user (sd_bus **out, berth_error **err)
{
  const char *addr = getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *xdg = getenv ("XDG_RUNTIME_DIR");
  sd_bus *bus = NULL;
  int r;

  *out = NULL;
  if (cg_sd_bus_api_load (err) < 0)
    return -1;
  if ((addr == NULL || addr[0] == '\0') && (xdg == NULL || xdg[0] == '\0'))
    return berth_error_set (err, 0, "systemd: rootless --systemd-cgroup "
                            "goes through the user's own systemd, and "
                            "neither DBUS_SESSION_BUS_ADDRESS nor "
                            "XDG_RUNTIME_DIR is set (a login session, or "
                            "loginctl enable-linger, gives both)");
  /* sd_bus_open_user: DBUS_SESSION_BUS_ADDRESS, else
     unix:path=$XDG_RUNTIME_DIR/bus; its EXTERNAL authentication lets the
     bus take the uid from the socket, so root in a user namespace is the
     user it maps to.  */
  r = sd_bus_open_user (&bus);
  if (r < 0)
    return berth_error_set (err, -r, "systemd: cannot connect to the user "
                            "bus (%s): is user@%u.service running "
                            "(loginctl enable-linger) and dbus-user-session "
                            "installed?",
                            addr && addr[0] ? addr : xdg,
                            (unsigned) getuid ());
  *out = bus;
  return 0;
}

int
cg_sd_manager_cgroup (sd_bus *bus, char **out, berth_error **err)
{
  sd_bus_error e = SD_BUS_ERROR_NULL;
  char *v = NULL;
  int r;

  r = sd_bus_get_property_string (bus, SD_DEST, SD_PATH, SD_MANAGER,
                                  "ControlGroup", &e, &v);
  if (r < 0)
    {
      berth_error_set (err, -r, "systemd: the manager's ControlGroup: %s",
                       e.message ? e.message : strerror (-r));
      sd_bus_error_free (&e);
      return -1;
    }
  *out = v;
  return 0;
}

void
cg_sd_bus_close (sd_bus *bus)
{
  if (bus)
    sd_bus_flush_close_unref (bus);
}

/* The JobRemoved signals seen so far (they may come before the reply that
   names our job is read).  */
typedef struct job_watch
{
  char **paths;
  char **results;
  size_t n;
} job_watch;

static int
on_job_removed (sd_bus_message *m, void *data, sd_bus_error *ret_error)
{
  job_watch *w = data;
  uint32_t id;
  const char *path, *unit, *result;

  if (sd_bus_message_read (m, "uoss", &id, &path, &unit, &result) < 0)
    return 0;
  w->paths = xrealloc (w->paths, (w->n + 1) * sizeof *w->paths);
  w->results = xrealloc (w->results, (w->n + 1) * sizeof *w->results);
  w->paths[w->n] = xstrdup (path);
  w->results[w->n] = xstrdup (result);
  w->n++;
  return 0;
}

static void
job_watch_free (job_watch *w)
{
  for (size_t i = 0; i < w->n; i++)
    {
      free (w->paths[i]);
      free (w->results[i]);
    }
  free (w->paths);
  free (w->results);
}

static const char *
job_result (const job_watch *w, const char *job)
{
  for (size_t i = 0; i < w->n; i++)
    if (strcmp (w->paths[i], job) == 0)
      return w->results[i];
  return NULL;
}

/* Waits for `job`'s JobRemoved; "done" is success.  */
static int
wait_job (sd_bus *bus, job_watch *w, const char *job, const char *what,
          const char *unit, berth_error **err)
{
  int64_t deadline = cg_now_ms () + SD_JOB_WAIT_MS;
  const char *result;

  while ((result = job_result (w, job)) == NULL)
    {
      int64_t left = deadline - cg_now_ms ();
      int r = sd_bus_process (bus, NULL);

      if (r < 0)
        return berth_error_set (err, -r, "systemd: %s %s: waiting for job %s",
                                what, unit, job);
      if (r > 0)
        continue;
      if (left <= 0)
        return berth_error_set (err, ETIMEDOUT, "systemd: %s %s: job %s did "
                                "not finish within %d s",
                                what, unit, job, SD_JOB_WAIT_MS / 1000);
      r = sd_bus_wait (bus, (uint64_t) left * 1000);
      if (r < 0)
        return berth_error_set (err, -r, "systemd: %s %s: waiting for job %s",
                                what, unit, job);
    }
  if (strcmp (result, "done") != 0)
    return berth_error_set (err, 0, "systemd: %s %s: the job ended with "
                            "\"%s\" (see journalctl -u %s)",
                            what, unit, result, unit);
  return 0;
}

static int
append_prop (sd_bus_message *m, const sd_prop *p)
{
  int r;

  switch (p->type)
    {
    case SD_PROP_U64:
      return sd_bus_message_append (m, "(sv)", p->name, "t", p->u);
    case SD_PROP_BOOL:
      return sd_bus_message_append (m, "(sv)", p->name, "b", (int) p->b);
    case SD_PROP_STR:
      return sd_bus_message_append (m, "(sv)", p->name, "s", p->s);
    case SD_PROP_BYTES:
      if ((r = sd_bus_message_open_container (m, 'r', "sv")) < 0
          || (r = sd_bus_message_append (m, "s", p->name)) < 0
          || (r = sd_bus_message_open_container (m, 'v', "ay")) < 0
          || (r = sd_bus_message_append_array (m, 'y', p->bytes, p->n_bytes))
                 < 0
          || (r = sd_bus_message_close_container (m)) < 0)
        return r;
      return sd_bus_message_close_container (m);
    case SD_PROP_PAIRS_ST:
    case SD_PROP_PAIRS_SS:
      {
        bool st = p->type == SD_PROP_PAIRS_ST;
        if ((r = sd_bus_message_open_container (m, 'r', "sv")) < 0
            || (r = sd_bus_message_append (m, "s", p->name)) < 0
            || (r = sd_bus_message_open_container (m, 'v',
                                                   st ? "a(st)" : "a(ss)"))
                   < 0
            || (r = sd_bus_message_open_container (m, 'a', st ? "(st)" : "(ss)"))
                   < 0)
          return r;
        for (size_t i = 0; i < p->n_items; i++)
          {
            if (st)
              r = sd_bus_message_append (m, "(st)", p->items[i].s,
                                         p->items[i].u);
            else
              r = sd_bus_message_append (m, "(ss)", p->items[i].s,
                                         p->items[i].s2);
            if (r < 0)
              return r;
          }
        if ((r = sd_bus_message_close_container (m)) < 0
            || (r = sd_bus_message_close_container (m)) < 0)
          return r;
        return sd_bus_message_close_container (m);
      }
    }
  return -EINVAL;
}

static int
append_props (sd_bus_message *m, const sd_props *props, const char *unit,
              berth_error **err)
{
  for (size_t i = 0; i < props->n; i++)
    {
      const sd_prop *p = &props->v[i];
      int r = 0;

      /* An empty list first clears the unit's: the items then replace it
         instead of merging into it.  */
      if ((p->type == SD_PROP_PAIRS_ST || p->type == SD_PROP_PAIRS_SS)
          && p->reset && p->n_items > 0)
        {
          sd_prop empty = *p;
          empty.n_items = 0;
          r = append_prop (m, &empty);
        }
      if (r >= 0)
        r = append_prop (m, p);
      if (r < 0)
        return berth_error_set (err, -r, "systemd: unit %s: property %s",
                                unit, props->v[i].name);
    }
  return 0;
}

/* The names of the properties, for an error systemd did not attribute.  */
static char *
prop_names (const sd_props *props)
{
  char *s = xstrdup ("");
  for (size_t i = 0; i < props->n; i++)
    {
      char *n = xasprintf ("%s%s%s", s, i ? ", " : "", props->v[i].name);
      free (s);
      s = n;
    }
  return s;
}

static int
call_error (sd_bus_error *e, int r, const char *what, const char *unit,
            const sd_props *props, berth_error **err)
{
  cleanup_free char *names = props && props->n ? prop_names (props) : NULL;
  const char *msg = e->message ? e->message : strerror (-r);

  /* systemd names the property it refused ("Cannot set property X, or
     unknown property."); the list says what was asked.  */
  if (names)
    berth_error_set (err, 0, "systemd: %s %s: %s (properties: %s)", what,
                     unit, msg, names);
  else
    berth_error_set (err, 0, "systemd: %s %s: %s", what, unit, msg);
  sd_bus_error_free (e);
  return -1;
}

/* Sends `m`, a call that queues a job, and waits for the job.  The
   JobRemoved match is in place before the call: the signal may come before
   the reply.  *missing: the unit does not exist (NoSuchUnit), not an
   error when missing != NULL.  */
static int
call_job (sd_bus *bus, sd_bus_message *m, const char *what, const char *unit,
          const sd_props *props, bool *missing, berth_error **err)
{
  sd_bus_error e = SD_BUS_ERROR_NULL;
  sd_bus_message *reply = NULL;
  sd_bus_slot *slot = NULL;
  job_watch w = { 0 };
  const char *job;
  int r, ret = -1;

  r = sd_bus_match_signal (bus, &slot, SD_DEST, SD_PATH, SD_MANAGER,
                           "JobRemoved", on_job_removed, &w);
  if (r < 0)
    {
      berth_error_set (err, -r, "systemd: %s %s: watch JobRemoved", what,
                       unit);
      goto out;
    }
  r = sd_bus_call (bus, m, SD_CALL_USEC, &e, &reply);
  if (r < 0)
    {
      if (missing
          && sd_bus_error_has_name (&e, "org.freedesktop.systemd1.NoSuchUnit"))
        {
          sd_bus_error_free (&e);
          *missing = true;
          ret = 0;
          goto out;
        }
      call_error (&e, r, what, unit, props, err);
      goto out;
    }
  r = sd_bus_message_read (reply, "o", &job);
  if (r < 0)
    {
      berth_error_set (err, -r, "systemd: %s %s: read the job", what, unit);
      goto out;
    }
  ret = wait_job (bus, &w, job, what, unit, err);
out:
  sd_bus_message_unref (reply);
  sd_bus_slot_unref (slot);
  job_watch_free (&w);
  return ret;
}

int
cg_sd_start_unit (sd_bus *bus, const char *unit, const char *slice,
                  const sd_props *props, pid_t pid, berth_error **err)
{
  sd_bus_message *m = NULL;
  int r, ret = -1;

  r = sd_bus_message_new_method_call (bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
                                      "StartTransientUnit");
  if (r >= 0)
    r = sd_bus_message_append (m, "ss", unit, "replace");
  if (r >= 0)
    r = sd_bus_message_open_container (m, 'a', "(sv)");
  if (r >= 0 && slice)
    r = sd_bus_message_append (m, "(sv)", "Slice", "s", slice);
  if (r >= 0 && pid > 0)
    r = sd_bus_message_append (m, "(sv)", "PIDs", "au", 1, (uint32_t) pid);
  if (r < 0)
    {
      berth_error_set (err, -r, "systemd: start %s: build the call", unit);
      goto out;
    }
  if (append_props (m, props, unit, err) < 0)
    goto out;
  r = sd_bus_message_close_container (m);
  /* No auxiliary units.  */
  if (r >= 0)
    r = sd_bus_message_append (m, "a(sa(sv))", 0);
  if (r < 0)
    {
      berth_error_set (err, -r, "systemd: start %s: build the call", unit);
      goto out;
    }
  ret = call_job (bus, m, "StartTransientUnit", unit, props, NULL, err);
out:
  sd_bus_message_unref (m);
  return ret;
}

int
cg_sd_set_properties (sd_bus *bus, const char *unit, const sd_props *props,
                      berth_error **err)
{
  sd_bus_error e = SD_BUS_ERROR_NULL;
  sd_bus_message *m = NULL;
  int r, ret = -1;

  if (props->n == 0)
    return 0;
  r = sd_bus_message_new_method_call (bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
                                      "SetUnitProperties");
  if (r >= 0)
    r = sd_bus_message_append (m, "sb", unit, 1);
  if (r >= 0)
    r = sd_bus_message_open_container (m, 'a', "(sv)");
  if (r < 0)
    {
      berth_error_set (err, -r, "systemd: set properties of %s", unit);
      goto out;
    }
  if (append_props (m, props, unit, err) < 0)
    goto out;
  r = sd_bus_message_close_container (m);
  if (r < 0)
    {
      berth_error_set (err, -r, "systemd: set properties of %s", unit);
      goto out;
    }
  r = sd_bus_call (bus, m, SD_CALL_USEC, &e, NULL);
  if (r < 0)
    {
      call_error (&e, r, "SetUnitProperties", unit, props, err);
      goto out;
    }
  /* systemd queues the unit's cgroup for writing and replies; its main
     loop writes the queued cgroups before it reads its next message.  A
     round trip therefore returns after the files hold the new values, and
     what berth writes next is not overwritten behind its back.  */
  r = sd_bus_call_method (bus, SD_DEST, SD_PATH, "org.freedesktop.DBus.Peer",
                          "Ping", &e, NULL, "");
  if (r < 0)
    {
      call_error (&e, r, "SetUnitProperties (the round trip after it)", unit,
                  NULL, err);
      goto out;
    }
  ret = 0;
out:
  sd_bus_message_unref (m);
  return ret;
}

/* systemd's D-Bus interface for the unit's cgroup properties.  */
static const char *
unit_interface (const char *unit)
{
  size_t n = strlen (unit);

  if (n > strlen (".slice") && strcmp (unit + n - strlen (".slice"), ".slice") == 0)
    return "org.freedesktop.systemd1.Slice";
  return "org.freedesktop.systemd1.Scope";
}

/* The value of a Properties.Get reply (a variant) as `want`'s type.  */
static int
read_prop (sd_bus_message *reply, const sd_prop *want, sd_props *old)
{
  bool st = want->type == SD_PROP_PAIRS_ST;
  sd_prop *e;
  int r;

  switch (want->type)
    {
    case SD_PROP_U64:
      {
        uint64_t v;
        if ((r = sd_bus_message_read (reply, "v", "t", &v)) < 0)
          return r;
        sd_props_u64 (old, want->name, v);
        return 0;
      }
    case SD_PROP_BOOL:
      {
        int v;
        if ((r = sd_bus_message_read (reply, "v", "b", &v)) < 0)
          return r;
        sd_props_bool (old, want->name, v != 0);
        return 0;
      }
    case SD_PROP_STR:
      {
        const char *v;
        if ((r = sd_bus_message_read (reply, "v", "s", &v)) < 0)
          return r;
        sd_props_str (old, want->name, v);
        return 0;
      }
    case SD_PROP_BYTES:
      {
        const void *v;
        size_t n;
        if ((r = sd_bus_message_enter_container (reply, 'v', "ay")) < 0
            || (r = sd_bus_message_read_array (reply, 'y', &v, &n)) < 0)
          return r;
        e = sd_props_add (old, want->name, SD_PROP_BYTES);
        e->bytes = xmalloc0 (n ? n : 1);
        memcpy (e->bytes, v, n);
        e->n_bytes = n;
        return sd_bus_message_exit_container (reply);
      }
    case SD_PROP_PAIRS_ST:
    case SD_PROP_PAIRS_SS:
      if ((r = sd_bus_message_enter_container (reply, 'v',
                                               st ? "a(st)" : "a(ss)"))
              < 0
          || (r = sd_bus_message_enter_container (reply, 'a',
                                                  st ? "(st)" : "(ss)"))
                 < 0)
        return r;
      e = sd_props_add (old, want->name, want->type);
      e->reset = true;
      for (;;)
        {
          const char *s, *s2 = NULL;
          uint64_t u = 0;

          if (st)
            r = sd_bus_message_read (reply, "(st)", &s, &u);
          else
            r = sd_bus_message_read (reply, "(ss)", &s, &s2);
          if (r < 0)
            return r;
          if (r == 0)
            break;
          sd_prop_item_add (e, s, s2, u);
        }
      if ((r = sd_bus_message_exit_container (reply)) < 0)
        return r;
      return sd_bus_message_exit_container (reply);
    }
  return -EINVAL;
}

int
cg_sd_get_properties (sd_bus *bus, const char *unit, const sd_props *want,
                      sd_props *old, berth_error **err)
{
  sd_bus_error e = SD_BUS_ERROR_NULL;
  sd_bus_message *reply = NULL;
  cleanup_free char *path = NULL;
  const char *p;
  int r, ret = -1;

  r = sd_bus_call_method (bus, SD_DEST, SD_PATH, SD_MANAGER, "GetUnit", &e,
                          &reply, "s", unit);
  if (r < 0)
    return call_error (&e, r, "GetUnit", unit, NULL, err);
  r = sd_bus_message_read (reply, "o", &p);
  if (r < 0)
    {
      berth_error_set (err, -r, "systemd: GetUnit %s: read the reply", unit);
      goto out;
    }
  path = xstrdup (p);
  for (size_t i = 0; i < want->n; i++)
    {
      const sd_prop *w = &want->v[i];

      if (sd_props_find (old, w->name))
        continue;
      sd_bus_message_unref (reply);
      reply = NULL;
      r = sd_bus_call_method (bus, SD_DEST, path,
                              "org.freedesktop.DBus.Properties", "Get", &e,
                              &reply, "ss", unit_interface (unit), w->name);
      if (r < 0)
        {
          cleanup_free char *what = xasprintf ("read property %s of", w->name);
          call_error (&e, r, what, unit, NULL, err);
          goto out;
        }
      r = read_prop (reply, w, old);
      if (r < 0)
        {
          berth_error_set (err, -r, "systemd: unit %s: read property %s",
                           unit, w->name);
          goto out;
        }
    }
  ret = 0;
out:
  sd_bus_message_unref (reply);
  return ret;
}

int
cg_sd_stop_unit (sd_bus *bus, const char *unit, berth_error **err)
{
  sd_bus_error e = SD_BUS_ERROR_NULL;
  sd_bus_message *m = NULL;
  bool missing = false;
  int r, ret = -1;

  r = sd_bus_message_new_method_call (bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
                                      "StopUnit");
  if (r >= 0)
    r = sd_bus_message_append (m, "ss", unit, "replace");
  if (r < 0)
    {
      berth_error_set (err, -r, "systemd: stop %s: build the call", unit);
      goto out;
    }
  if (call_job (bus, m, "StopUnit", unit, NULL, &missing, err) < 0)
    goto out;
  ret = 0;
  if (missing)
    goto out;
  r = sd_bus_call_method (bus, SD_DEST, SD_PATH, SD_MANAGER,
                          "ResetFailedUnit", &e, NULL, "s", unit);
  /* Only a failed unit can be reset; a stopped one is already gone.  */
  if (r < 0)
    {
      berth_debug ("systemd: ResetFailedUnit %s: %s", unit,
                   e.message ? e.message : strerror (-r));
      sd_bus_error_free (&e);
    }
out:
  sd_bus_message_unref (m);
  return ret;
}
