/* berth: the typed form of an OCI runtime config.json (runtime-spec 1.3,
 * the POSIX and Linux parts).
 *
 * Conventions, used everywhere in this header:
 *   - a string is a malloc'd NUL-terminated `char *`, NULL when absent;
 *   - an array is a pointer plus a count `n_<name>`; both 0/NULL when absent;
 *   - a string array (`char **`) is one block, pointers then strings, that
 *     one free() releases: build and change one with oci-spec/strv.h;
 *   - an optional scalar has a `has_<name>` flag beside it;
 *   - a JSON object used as a map (annotations, sysctl, unified, netDevices)
 *     is an array of `oci_kv` pairs in document order.
 * Unknown JSON fields are ignored.  Pure data: nothing here makes syscalls.  */
#ifndef BERTH_OCI_CONFIG_H
#define BERTH_OCI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

typedef struct oci_kv
{
  char *key;
  char *value;
} oci_kv;

typedef struct oci_id_mapping
{
  uint32_t container_id;
  uint32_t host_id;
  uint32_t size;
} oci_id_mapping;

/* ---- root, mounts ---------------------------------------------------- */

typedef struct oci_root
{
  char *path;    /* as written in config.json (may be relative to the bundle) */
  bool readonly;
} oci_root;

typedef struct oci_mount
{
  char *destination;
  char *type;
  char *source;
  char **options;
  size_t n_options;
  oci_id_mapping *uid_mappings;
  size_t n_uid_mappings;
  oci_id_mapping *gid_mappings;
  size_t n_gid_mappings;
} oci_mount;

/* ---- process ----------------------------------------------------------- */

typedef struct oci_rlimit
{
  char *type;  /* "RLIMIT_NOFILE" ... */
  uint64_t soft;
  uint64_t hard;
} oci_rlimit;

typedef struct oci_capabilities
{
  /* Each set: has_<set> tells whether the key was present at all
     (absent and empty differ for nothing in the spec, but we keep it).  */
  char **bounding;
  size_t n_bounding;
  char **effective;
  size_t n_effective;
  char **inheritable;
  size_t n_inheritable;
  char **permitted;
  size_t n_permitted;
  char **ambient;
  size_t n_ambient;
} oci_capabilities;

typedef struct oci_user
{
  uint32_t uid;
  uint32_t gid;
  bool has_umask;
  uint32_t umask;
  uint32_t *additional_gids;
  size_t n_additional_gids;
  char *username; /* Windows only; kept for completeness */
} oci_user;

typedef struct oci_scheduler
{
  char *policy;  /* SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_ISO,
                    SCHED_IDLE, SCHED_DEADLINE */
  bool has_nice;
  int32_t nice;
  bool has_priority;
  int32_t priority;
  char **flags;  /* SCHED_FLAG_RESET_ON_FORK ... */
  size_t n_flags;
  bool has_runtime;
  uint64_t runtime;
  bool has_deadline;
  uint64_t deadline;
  bool has_period;
  uint64_t period;
} oci_scheduler;

typedef struct oci_io_priority
{
  char *class;  /* IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE */
  int32_t priority;
} oci_io_priority;

typedef struct oci_exec_cpu_affinity
{
  char *initial;  /* "0-3,7" */
  char *final;
} oci_exec_cpu_affinity;

typedef struct oci_process
{
  /* Whether user, env and noNewPrivileges were in the document: `exec
     --process` takes the container's value for an absent one.  */
  bool has_user;
  bool has_env;
  bool has_no_new_privileges;
  bool terminal;
  bool has_console_size;
  uint32_t console_height;
  uint32_t console_width;
  oci_user user;
  char **args;
  size_t n_args;
  char *command_line;
  char **env;
  size_t n_env;
  char *cwd;
  oci_capabilities *capabilities;  /* NULL when absent */
  oci_rlimit *rlimits;
  size_t n_rlimits;
  bool no_new_privileges;
  char *apparmor_profile;
  bool has_oom_score_adj;
  int32_t oom_score_adj;
  char *selinux_label;
  oci_scheduler *scheduler;        /* NULL when absent */
  oci_io_priority *io_priority;    /* NULL when absent */
  oci_exec_cpu_affinity *exec_cpu_affinity; /* NULL when absent */
} oci_process;

/* ---- hooks --------------------------------------------------------------- */

typedef struct oci_hook
{
  char *path;
  char **args;
  size_t n_args;
  char **env;
  size_t n_env;
  bool has_timeout;
  int32_t timeout;  /* seconds, > 0 */
} oci_hook;

typedef enum oci_hook_kind
{
  OCI_HOOK_PRESTART = 0,
  OCI_HOOK_CREATE_RUNTIME,
  OCI_HOOK_CREATE_CONTAINER,
  OCI_HOOK_START_CONTAINER,
  OCI_HOOK_POSTSTART,
  OCI_HOOK_POSTSTOP,
  OCI_HOOK_KINDS
} oci_hook_kind;

typedef struct oci_hooks
{
  oci_hook *hooks[OCI_HOOK_KINDS];
  size_t n_hooks[OCI_HOOK_KINDS];
} oci_hooks;

/* The JSON key of a hook kind: "prestart", "createRuntime", ...  */
const char *oci_hook_kind_name (oci_hook_kind kind);

/* ---- linux: namespaces, devices --------------------------------------- */

typedef enum oci_ns_type
{
  OCI_NS_PID = 0,
  OCI_NS_NETWORK,
  OCI_NS_MOUNT,
  OCI_NS_IPC,
  OCI_NS_UTS,
  OCI_NS_USER,
  OCI_NS_CGROUP,
  OCI_NS_TIME,
  OCI_NS_TYPES
} oci_ns_type;

typedef struct oci_namespace
{
  oci_ns_type type;
  char *path;  /* NULL: create a new one */
} oci_namespace;

/* "pid", "network", ... ; NULL for an out-of-range value.  */
const char *oci_ns_type_name (oci_ns_type type);
/* The linux.memoryPolicy modes and flags berth takes (MPOL_*), by index;
   NULL past the last.  */
const char *oci_memory_policy_mode_name (size_t i);
const char *oci_memory_policy_flag_name (size_t i);

typedef struct oci_device
{
  char type;  /* 'c', 'b', 'u', 'p' */
  char *path;
  int64_t major;
  int64_t minor;
  bool has_file_mode;
  uint32_t file_mode;
  bool has_uid;
  uint32_t uid;
  bool has_gid;
  uint32_t gid;
} oci_device;

typedef struct oci_net_device
{
  char *host_name;  /* the map key */
  char *name;       /* name inside the container; NULL: same as host_name */
} oci_net_device;

typedef struct oci_time_offset
{
  bool present;
  int64_t secs;
  uint32_t nanosecs;
} oci_time_offset;

/* ---- linux.resources (applied by cgroups/) ------------------------------ */

typedef struct oci_device_cgroup
{
  bool allow;
  char type;  /* 'a', 'c', 'b'; 'a' when absent */
  bool has_major;
  int64_t major;
  bool has_minor;
  int64_t minor;
  char *access; /* "rwm" subset; NULL when absent */
} oci_device_cgroup;

typedef struct oci_memory
{
  bool has_limit;
  int64_t limit;
  bool has_reservation;
  int64_t reservation;
  bool has_swap;
  int64_t swap;
  bool has_kernel;
  int64_t kernel;
  bool has_kernel_tcp;
  int64_t kernel_tcp;
  bool has_swappiness;
  uint64_t swappiness;
  bool has_disable_oom_killer;
  bool disable_oom_killer;
  bool has_use_hierarchy;
  bool use_hierarchy;
  bool has_check_before_update;
  bool check_before_update;
} oci_memory;

typedef struct oci_cpu
{
  bool has_shares;
  uint64_t shares;
  bool has_quota;
  int64_t quota;
  bool has_burst;
  uint64_t burst;
  bool has_period;
  uint64_t period;
  bool has_realtime_runtime;
  int64_t realtime_runtime;
  bool has_realtime_period;
  uint64_t realtime_period;
  char *cpus;
  char *mems;
  bool has_idle;
  int64_t idle;
} oci_cpu;

typedef struct oci_block_io_device_weight
{
  int64_t major;
  int64_t minor;
  bool has_weight;
  uint16_t weight;
  bool has_leaf_weight;
  uint16_t leaf_weight;
} oci_block_io_device_weight;

typedef struct oci_block_io_device_throttle
{
  int64_t major;
  int64_t minor;
  uint64_t rate;
} oci_block_io_device_throttle;

typedef struct oci_block_io
{
  bool has_weight;
  uint16_t weight;
  bool has_leaf_weight;
  uint16_t leaf_weight;
  oci_block_io_device_weight *weight_device;
  size_t n_weight_device;
  oci_block_io_device_throttle *throttle_read_bps_device;
  size_t n_throttle_read_bps_device;
  oci_block_io_device_throttle *throttle_write_bps_device;
  size_t n_throttle_write_bps_device;
  oci_block_io_device_throttle *throttle_read_iops_device;
  size_t n_throttle_read_iops_device;
  oci_block_io_device_throttle *throttle_write_iops_device;
  size_t n_throttle_write_iops_device;
} oci_block_io;

typedef struct oci_hugepage_limit
{
  char *page_size;  /* "2MB" */
  uint64_t limit;
} oci_hugepage_limit;

typedef struct oci_net_priority
{
  char *name;
  uint32_t priority;
} oci_net_priority;

typedef struct oci_network
{
  bool has_class_id;
  uint32_t class_id;
  oci_net_priority *priorities;
  size_t n_priorities;
} oci_network;

typedef struct oci_rdma
{
  char *device;  /* the map key */
  bool has_hca_handles;
  uint32_t hca_handles;
  bool has_hca_objects;
  uint32_t hca_objects;
} oci_rdma;

typedef struct oci_resources
{
  oci_device_cgroup *devices;
  size_t n_devices;
  oci_memory *memory;       /* NULL when absent */
  oci_cpu *cpu;             /* NULL when absent */
  bool has_pids_limit;
  int64_t pids_limit;       /* -1: max */
  oci_block_io *block_io;   /* NULL when absent */
  oci_hugepage_limit *hugepage_limits;
  size_t n_hugepage_limits;
  oci_network *network;     /* NULL when absent */
  oci_rdma *rdma;
  size_t n_rdma;
  oci_kv *unified;
  size_t n_unified;
} oci_resources;

/* ---- linux: seccomp ---------------------------------------------------- */

typedef struct oci_seccomp_arg
{
  uint32_t index;
  uint64_t value;
  bool has_value_two;
  uint64_t value_two;
  char *op;  /* SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ,
                SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ */
} oci_seccomp_arg;

typedef struct oci_seccomp_syscall
{
  char **names;
  size_t n_names;
  char *action;  /* SCMP_ACT_... */
  bool has_errno_ret;
  uint32_t errno_ret;
  oci_seccomp_arg *args;
  size_t n_args;
} oci_seccomp_syscall;

typedef struct oci_seccomp
{
  char *default_action;
  bool has_default_errno_ret;
  uint32_t default_errno_ret;
  char **architectures;  /* SCMP_ARCH_... */
  size_t n_architectures;
  char **flags;          /* SECCOMP_FILTER_FLAG_... */
  size_t n_flags;
  char *listener_path;
  char *listener_metadata;
  oci_seccomp_syscall *syscalls;
  size_t n_syscalls;
} oci_seccomp;

/* ---- linux: the rest --------------------------------------------------- */

typedef struct oci_intel_rdt
{
  char *clos_id;
  char *l3_cache_schema;
  char *mem_bw_schema;
  char **schemata;
  size_t n_schemata;
  bool enable_monitoring;
} oci_intel_rdt;

typedef struct oci_memory_policy
{
  char *mode;   /* MPOL_DEFAULT, MPOL_BIND, ... */
  char *nodes;
  char **flags; /* MPOL_F_NUMA_BALANCING, ... */
  size_t n_flags;
} oci_memory_policy;

typedef struct oci_personality
{
  char *domain;  /* LINUX, LINUX32 */
  char **flags;
  size_t n_flags;
} oci_personality;

typedef struct oci_linux
{
  oci_namespace *namespaces;
  size_t n_namespaces;
  oci_id_mapping *uid_mappings;
  size_t n_uid_mappings;
  oci_id_mapping *gid_mappings;
  size_t n_gid_mappings;
  oci_time_offset time_offset_monotonic;
  oci_time_offset time_offset_boottime;
  oci_device *devices;
  size_t n_devices;
  oci_net_device *net_devices;
  size_t n_net_devices;
  char *cgroups_path;
  oci_resources *resources;       /* NULL when absent */
  oci_seccomp *seccomp;           /* NULL when absent */
  char *rootfs_propagation;       /* shared, slave, private, unbindable
                                     (and the r- forms runc accepts) */
  oci_kv *sysctl;
  size_t n_sysctl;
  char **masked_paths;
  size_t n_masked_paths;
  char **readonly_paths;
  size_t n_readonly_paths;
  char *mount_label;
  oci_intel_rdt *intel_rdt;       /* NULL when absent */
  oci_memory_policy *memory_policy; /* NULL when absent */
  oci_personality *personality;   /* NULL when absent */
} oci_linux;

/* ---- the whole document ------------------------------------------------ */

typedef struct oci_config
{
  char *oci_version;
  oci_root root;           /* root.path NULL when absent */
  bool has_root;
  oci_mount *mounts;
  size_t n_mounts;
  oci_process *process;    /* NULL when absent */
  char *hostname;
  char *domainname;
  oci_hooks hooks;
  oci_kv *annotations;
  size_t n_annotations;
  oci_linux *linux_;       /* NULL when absent ("linux" is a macro in GNU C) */
} oci_config;

/* A config.json is a few KiB (a large seccomp profile ~100 KiB); this
   bounds the work on hostile input, and what berth reads of any JSON file
   a user names (an endless one included).  yajl_tree allocates every value
   on its own: 4 MiB of small numbers costs ~200 MB while parsing, 16 MiB
   would cost ~750 MB.  */
#define OCI_JSON_MAX_SIZE (4u * 1024 * 1024)

/* Parses a config.json document.  `name` is used as the prefix of error
   messages ("config.json: process.args: expected an array of strings").
   Returns NULL with *err set on any error: malformed JSON, a wrong type,
   a missing REQUIRED field, an unknown enum value (namespace type, device
   type, hook field), ociVersion not 1.x.  Never crashes on any input.  */
oci_config *oci_config_parse (const char *json, size_t len, const char *name,
                              berth_error **err);

/* Reads and parses a file.  */
oci_config *oci_config_parse_file (const char *path, berth_error **err);

void oci_config_free (oci_config *config);

/* Looks up an annotation; NULL when absent.  */
const char *oci_config_annotation (const oci_config *config, const char *key);

/* The namespace entry of a type, NULL when the config does not list it.  */
const oci_namespace *oci_config_namespace (const oci_config *config,
                                           oci_ns_type type);

/* Parses a linux.resources object on its own (`berth update --resources`);
   errors name the field as "<name>: memory.limit: ...".  */
oci_resources *oci_resources_parse (const char *json, size_t len,
                                    const char *name, berth_error **err);

void oci_resources_free (oci_resources *r);

/* Parses a process object on its own (`berth exec --process`); errors name
   the field as "<name>: user.uid: ...".  */
oci_process *oci_process_parse (const char *json, size_t len,
                                const char *name, berth_error **err);

void oci_process_free (oci_process *p);

#endif
