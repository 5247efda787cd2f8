/* berth: the lifecycle record, <root>/<id>/record.json: what `delete
 * --force` must undo, written by create before it makes each thing (the
 * cgroup, the init, the veth) and kept for the container's whole life.
 *
 * state.json says what a container is; the record says what was made for
 * it.  It stays readable when create was killed half way (no state.json
 * yet) or state.json was damaged, so delete --force never has to guess.  */
#ifndef BERTH_RECORD_H
#define BERTH_RECORD_H

#include "base/error.h"
#include "oci-spec/record.h"

#define RECORD_FILE "record.json"

/* Replaces the record atomically and durably (a temp file, fsync, rename,
   fsync of the dir): a reader sees the old record or the new one, never
   a torn one, even across a power cut.  */
int record_save (int dir_fd, const oci_record *r, berth_error **err);

/* The record, or NULL with *err set; errnum ENOENT when there is none.  */
oci_record *record_load (int dir_fd, const char *id, berth_error **err);

/* `delete --force` of a container whose state.json cannot be read (a
   create killed half way, a damaged file): undoes what the record (or,
   without one, the config copy) says was made, then removes the state
   dir.  Returns 0 only when nothing is left; otherwise -1 with *err set
   and the state dir kept, for the next try.  `dir_fd` is the locked
   state dir; `state_err` says why state.json was unusable (for the
   message when nothing else is known either).  */
int delete_force_from_record (int root_fd, int dir_fd, const char *id,
                              const berth_error *state_err,
                              berth_error **err);

#endif
