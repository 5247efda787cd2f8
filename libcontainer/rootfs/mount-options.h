/* berth: the options array of a config mount, parsed into what the kernel
 * takes, and the checks of config.mounts.  Pure: no syscalls, so create
 * can validate a config before clone and the unit tests can cover every
 * option.  */
#ifndef BERTH_MOUNT_OPTIONS_H
#define BERTH_MOUNT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "oci-spec/config.h"

typedef struct mount_options
{
  /* MS_* flags for mount(2); later options override earlier ones, as
     mount(8) does.  `clear` holds the flags an option explicitly turned
     off ("rw", "suid", "atime"...), so a remount of a bind mount changes
     only what was asked.  */
  unsigned long flags;
  unsigned long clear;

  /* MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE, with MS_REC for the
     r- forms; 0 when none.  The kernel takes one propagation type per
     call, so the last one wins.  */
  unsigned long propagation;

  /* MOUNT_ATTR_* for mount_setattr(AT_RECURSIVE) ("rro", "rnosuid"...).  */
  uint64_t rec_attr_set;
  uint64_t rec_attr_clr;
  /* MOUNT_ATTR_* for mount_setattr without AT_RECURSIVE ("nosymfollow").  */
  uint64_t attr_set;
  uint64_t attr_clr;

  bool idmap;     /* "idmap" or "ridmap" */
  bool idmap_rec; /* "ridmap" */
  bool tmpcopyup;

  /* Every other option, joined with ','; NULL when there is none.  */
  char *data;
} mount_options;

/* Fills *out from `options` (n entries).  Unknown options are
   filesystem-specific and go to out->data in order; empty strings are
   skipped, as mount(8) does.  mount(8)'s userspace-only options (auto,
   noauto, nofail, _netdev, x-*) are dropped; "user"/"users" imply
   noexec,nosuid,nodev and "owner"/"group" nosuid,nodev, as in mount(8).
   The caller frees with mount_options_free.  */
void mount_options_parse (char *const *options, size_t n, mount_options *out);

void mount_options_free (mount_options *opts);

/* The i-th option name berth gives a meaning of its own (NULL past the
   end), for `berth features`: mount(8)'s userspace-only ones, which are
   dropped, and filesystem data are not listed.  */
const char *mount_option_name (size_t i);

/* The MS_* propagation value of "shared", "rslave"... or 0 for an unknown
   name (rootfsPropagation and the propagation options share the names).  */
unsigned long mount_propagation_flag (const char *name);

/* Where a mount destination falls, taken lexically ("/proc/../proc" is
   /proc): outside /proc, /proc itself, one of the /proc files lxcfs
   emulates (the only mounts allowed inside /proc, as runc), or elsewhere
   inside /proc.  Mounting anything but procfs on /proc, or over procfs's
   own files, would let the image redirect what berth or the workload
   believes are kernel files (CVE-2019-16884).  */
enum mount_proc_place
{
  MOUNT_PROC_OUTSIDE,
  MOUNT_PROC_ROOT,
  MOUNT_PROC_ALLOWED_FILE,
  MOUNT_PROC_INSIDE,
};
enum mount_proc_place mount_proc_place (const char *dest);

/* Checks config.mounts before clone, without touching anything: every
   entry has a destination; a bind mount has a source, any other a type
   (or "remount"); uidMappings and gidMappings come together and only with
   idmap/ridmap; idmap only on bind mounts, with mappings from the mount
   or, when `userns`, from linux.uidMappings/gidMappings; tmpcopyup only on
   tmpfs; nothing but procfs (or a bind mount, whose source is checked when
   it is mounted) on /proc, nothing inside /proc but the lxcfs files.  Errors name the entry: "mounts[3] (/data): idmap ...".  */
int mounts_validate (const oci_config *config, bool userns,
                     berth_error **err);

#endif
