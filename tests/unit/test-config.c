/* Unit tests of oci-spec/config.c: every field, every error class with its
 * JSON path, and robustness against truncated, mutated and hostile input.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <limits.h>

#include <cmocka.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "base/utils.h"
#include "oci-spec/config.h"
#include "oci-spec/parse-util.h"
#include "oci-spec/state.h"

#define MIN_DOC "{\"ociVersion\": \"1.0.0\""

static char *
data_path (const char *name)
{
  char exe[PATH_MAX];
  ssize_t n = readlink ("/proc/self/exe", exe, sizeof exe - 1);
  char *slash;

  assert_true (n > 0);
  exe[n] = '\0';
  slash = strrchr (exe, '/');
  assert_non_null (slash);
  *slash = '\0';
  return xasprintf ("%s/data/%s", exe, name);
}

static char *
read_fixture (const char *name, size_t *len)
{
  char *path = data_path (name);
  char *data = NULL;
  berth_error *err = NULL;
  if (read_file_at (AT_FDCWD, path, &data, len, &err) < 0)
    fail_msg ("%s", err->msg);
  free (path);
  return data;
}

static oci_config *
parse_ok (const char *json)
{
  berth_error *err = NULL;
  oci_config *c = oci_config_parse (json, strlen (json), "config.json", &err);
  if (c == NULL)
    fail_msg ("unexpected error: %s (input: %s)", err->msg, json);
  assert_null (err);
  return c;
}

static void
expect_error_len (const char *json, size_t len, const char *msg)
{
  berth_error *err = NULL;
  oci_config *c = oci_config_parse (json, len, "config.json", &err);
  if (c != NULL)
    fail_msg ("expected error \"%s\", parsed fine: %.200s", msg, json);
  assert_non_null (err);
  if (strcmp (err->msg, msg) != 0)
    fail_msg ("expected \"%s\"\n     got \"%s\"", msg, err->msg);
  berth_error_free (err);
}

static void
expect_error (const char *json, const char *msg)
{
  expect_error_len (json, strlen (json), msg);
}

/* ---- the full document ------------------------------------------------- */

static void
test_full_config (void **state)
{
  char *path = data_path ("config-full.json");
  berth_error *err = NULL;
  oci_config *c = oci_config_parse_file (path, &err);
  const oci_process *p;
  const oci_linux *l;
  const oci_resources *r;
  const oci_seccomp *s;

  if (c == NULL)
    fail_msg ("%s", err->msg);
  free (path);

  assert_string_equal (c->oci_version, "1.2.0");
  assert_true (c->has_root);
  assert_string_equal (c->root.path, "rootfs");
  assert_true (c->root.readonly);

  assert_int_equal (c->n_mounts, 2);
  assert_string_equal (c->mounts[0].destination, "/proc");
  assert_string_equal (c->mounts[0].type, "proc");
  assert_string_equal (c->mounts[0].source, "proc");
  assert_int_equal (c->mounts[0].n_options, 0);
  assert_null (c->mounts[0].options);
  assert_string_equal (c->mounts[1].source, "/srv/data");
  assert_int_equal (c->mounts[1].n_options, 3);
  assert_string_equal (c->mounts[1].options[2], "idmap");
  assert_null (c->mounts[1].options[3]); /* NULL-terminated too */
  assert_int_equal (c->mounts[1].n_uid_mappings, 1);
  assert_int_equal (c->mounts[1].uid_mappings[0].host_id, 100000);
  assert_int_equal (c->mounts[1].uid_mappings[0].size, 65536);
  assert_int_equal (c->mounts[1].n_gid_mappings, 1);
  assert_int_equal (c->mounts[1].gid_mappings[0].container_id, 1);
  assert_int_equal (c->mounts[1].gid_mappings[0].host_id, 200000);
  assert_int_equal (c->mounts[1].gid_mappings[0].size, 10);

  p = c->process;
  assert_non_null (p);
  assert_true (p->terminal);
  assert_true (p->has_console_size);
  assert_int_equal (p->console_height, 24);
  assert_int_equal (p->console_width, 80);
  assert_int_equal (p->user.uid, 1000);
  assert_int_equal (p->user.gid, 1001);
  assert_true (p->user.has_umask);
  assert_int_equal (p->user.umask, 18);
  assert_int_equal (p->user.n_additional_gids, 3);
  assert_int_equal (p->user.additional_gids[1], 6);
  assert_int_equal (p->user.additional_gids[2], UINT32_MAX);
  assert_string_equal (p->user.username, "someone");
  assert_int_equal (p->n_args, 3);
  assert_string_equal (p->args[0], "/bin/sh");
  assert_string_equal (p->args[2], "echo hi");
  assert_null (p->args[3]);
  assert_string_equal (p->command_line, "sh -c \"echo hi\"");
  assert_int_equal (p->n_env, 3);
  assert_string_equal (p->env[2], "UNICODE=h\xc3\xa9llo");
  assert_string_equal (p->cwd, "/work");
  assert_non_null (p->capabilities);
  assert_int_equal (p->capabilities->n_bounding, 2);
  assert_string_equal (p->capabilities->bounding[1], "CAP_CHOWN");
  assert_int_equal (p->capabilities->n_effective, 1);
  assert_int_equal (p->capabilities->n_inheritable, 0);
  assert_int_equal (p->capabilities->n_permitted, 3);
  assert_string_equal (p->capabilities->permitted[2], "CAP_NET_RAW");
  assert_int_equal (p->capabilities->n_ambient, 1);
  assert_int_equal (p->n_rlimits, 2);
  assert_string_equal (p->rlimits[0].type, "RLIMIT_NOFILE");
  assert_int_equal (p->rlimits[0].soft, 1024);
  assert_int_equal (p->rlimits[0].hard, 4096);
  assert_true (p->rlimits[1].soft == UINT64_MAX);
  assert_true (p->rlimits[1].hard == UINT64_MAX);
  assert_true (p->no_new_privileges);
  assert_string_equal (p->apparmor_profile, "berth-default");
  assert_true (p->has_oom_score_adj);
  assert_int_equal (p->oom_score_adj, -500);
  assert_string_equal (p->selinux_label, "system_u:system_r:container_t:s0");
  assert_non_null (p->scheduler);
  assert_string_equal (p->scheduler->policy, "SCHED_DEADLINE");
  assert_true (p->scheduler->has_nice);
  assert_int_equal (p->scheduler->nice, -5);
  assert_true (p->scheduler->has_priority);
  assert_int_equal (p->scheduler->priority, 10);
  assert_int_equal (p->scheduler->n_flags, 2);
  assert_string_equal (p->scheduler->flags[1], "SCHED_FLAG_RECLAIM");
  assert_true (p->scheduler->has_runtime);
  assert_int_equal (p->scheduler->runtime, 10000000);
  assert_int_equal (p->scheduler->deadline, 20000000);
  assert_int_equal (p->scheduler->period, 30000000);
  assert_non_null (p->io_priority);
  assert_string_equal (p->io_priority->class, "IOPRIO_CLASS_BE");
  assert_int_equal (p->io_priority->priority, 4);
  assert_non_null (p->exec_cpu_affinity);
  assert_string_equal (p->exec_cpu_affinity->initial, "0-3,7");
  assert_string_equal (p->exec_cpu_affinity->final, "1");

  assert_string_equal (c->hostname, "box");
  assert_string_equal (c->domainname, "example.org");

  assert_int_equal (c->hooks.n_hooks[OCI_HOOK_PRESTART], 1);
  assert_string_equal (c->hooks.hooks[OCI_HOOK_PRESTART][0].path, "/bin/pre");
  assert_int_equal (c->hooks.hooks[OCI_HOOK_PRESTART][0].n_args, 2);
  assert_string_equal (c->hooks.hooks[OCI_HOOK_PRESTART][0].env[0], "X=1");
  assert_true (c->hooks.hooks[OCI_HOOK_PRESTART][0].has_timeout);
  assert_int_equal (c->hooks.hooks[OCI_HOOK_PRESTART][0].timeout, 5);
  assert_int_equal (c->hooks.n_hooks[OCI_HOOK_CREATE_RUNTIME], 2);
  assert_false (c->hooks.hooks[OCI_HOOK_CREATE_RUNTIME][0].has_timeout);
  assert_string_equal (c->hooks.hooks[OCI_HOOK_CREATE_RUNTIME][1].path,
                       "/bin/cr2");
  assert_int_equal (c->hooks.hooks[OCI_HOOK_CREATE_RUNTIME][1].timeout, 1);
  assert_string_equal (c->hooks.hooks[OCI_HOOK_CREATE_CONTAINER][0].path,
                       "/bin/cc");
  assert_string_equal (c->hooks.hooks[OCI_HOOK_START_CONTAINER][0].path,
                       "/bin/sc");
  assert_string_equal (c->hooks.hooks[OCI_HOOK_POSTSTART][0].path, "/bin/ps");
  assert_string_equal (c->hooks.hooks[OCI_HOOK_POSTSTOP][0].args[0], "pst");

  /* A repeated key keeps its last value, at its last position.  */
  assert_int_equal (c->n_annotations, 2);
  assert_string_equal (c->annotations[0].key, "com.example.other");
  assert_string_equal (c->annotations[0].value, "");
  assert_string_equal (c->annotations[1].key, "org.example.key");
  assert_string_equal (c->annotations[1].value, "last wins");
  assert_string_equal (oci_config_annotation (c, "org.example.key"),
                       "last wins");
  assert_null (oci_config_annotation (c, "nope"));

  l = c->linux_;
  assert_non_null (l);
  assert_int_equal (l->n_namespaces, 8);
  assert_int_equal (l->namespaces[0].type, OCI_NS_PID);
  assert_null (l->namespaces[0].path);
  assert_int_equal (l->namespaces[1].type, OCI_NS_NETWORK);
  assert_string_equal (l->namespaces[1].path, "/var/run/netns/x");
  assert_int_equal (l->namespaces[7].type, OCI_NS_TIME);
  assert_ptr_equal (oci_config_namespace (c, OCI_NS_NETWORK),
                    &l->namespaces[1]);
  assert_int_equal (l->n_uid_mappings, 2);
  assert_int_equal (l->uid_mappings[1].container_id, 1);
  assert_int_equal (l->uid_mappings[1].host_id, 100000);
  assert_int_equal (l->uid_mappings[1].size, 65536);
  assert_int_equal (l->n_gid_mappings, 1);
  assert_int_equal (l->gid_mappings[0].host_id, 1001);
  assert_true (l->time_offset_monotonic.present);
  assert_true (l->time_offset_monotonic.secs == -86400);
  assert_int_equal (l->time_offset_monotonic.nanosecs, 500);
  assert_true (l->time_offset_boottime.present);
  assert_true (l->time_offset_boottime.secs == INT64_MAX);
  assert_int_equal (l->time_offset_boottime.nanosecs, 0);
  assert_int_equal (l->n_devices, 2);
  assert_int_equal (l->devices[0].type, 'c');
  assert_string_equal (l->devices[0].path, "/dev/fuse");
  assert_int_equal (l->devices[0].major, 10);
  assert_int_equal (l->devices[0].minor, 229);
  assert_true (l->devices[0].has_file_mode);
  assert_int_equal (l->devices[0].file_mode, 0666);
  assert_true (l->devices[0].has_uid);
  assert_true (l->devices[0].has_gid);
  assert_int_equal (l->devices[1].type, 'p');
  assert_false (l->devices[1].has_file_mode);
  assert_int_equal (l->n_net_devices, 2);
  assert_string_equal (l->net_devices[0].host_name, "eth0");
  assert_string_equal (l->net_devices[0].name, "ceth0");
  assert_string_equal (l->net_devices[1].host_name, "dummy1");
  assert_null (l->net_devices[1].name);
  assert_string_equal (l->cgroups_path, "/berth/test");

  r = l->resources;
  assert_non_null (r);
  assert_int_equal (r->n_devices, 3);
  assert_false (r->devices[0].allow);
  assert_int_equal (r->devices[0].type, 'a');
  assert_false (r->devices[0].has_major);
  assert_string_equal (r->devices[0].access, "rwm");
  assert_true (r->devices[1].allow);
  assert_int_equal (r->devices[1].type, 'c');
  assert_true (r->devices[1].has_major);
  assert_int_equal (r->devices[1].major, 1);
  assert_int_equal (r->devices[1].minor, 3);
  assert_int_equal (r->devices[2].type, 'b');
  assert_false (r->devices[2].has_minor);
  assert_null (r->devices[2].access);
  assert_non_null (r->memory);
  assert_true (r->memory->has_limit);
  assert_int_equal (r->memory->limit, 536870912);
  assert_int_equal (r->memory->reservation, 268435456);
  assert_true (r->memory->swap == -1);
  assert_true (r->memory->has_kernel);
  assert_int_equal (r->memory->kernel, 0);
  assert_int_equal (r->memory->kernel_tcp, 1024);
  assert_int_equal (r->memory->swappiness, 60);
  assert_true (r->memory->has_disable_oom_killer);
  assert_true (r->memory->disable_oom_killer);
  assert_true (r->memory->has_use_hierarchy);
  assert_false (r->memory->use_hierarchy);
  assert_true (r->memory->check_before_update);
  assert_non_null (r->cpu);
  assert_int_equal (r->cpu->shares, 1024);
  assert_true (r->cpu->quota == -1);
  assert_int_equal (r->cpu->burst, 1000);
  assert_int_equal (r->cpu->period, 100000);
  assert_int_equal (r->cpu->realtime_runtime, 950000);
  assert_int_equal (r->cpu->realtime_period, 1000000);
  assert_string_equal (r->cpu->cpus, "0-1");
  assert_string_equal (r->cpu->mems, "0");
  assert_true (r->cpu->has_idle);
  assert_int_equal (r->cpu->idle, 1);
  assert_true (r->has_pids_limit);
  assert_true (r->pids_limit == -1);
  assert_non_null (r->block_io);
  assert_int_equal (r->block_io->weight, 500);
  assert_int_equal (r->block_io->leaf_weight, 300);
  assert_int_equal (r->block_io->n_weight_device, 2);
  assert_int_equal (r->block_io->weight_device[0].weight, 600);
  assert_int_equal (r->block_io->weight_device[0].leaf_weight, 100);
  assert_false (r->block_io->weight_device[1].has_weight);
  assert_int_equal (r->block_io->weight_device[1].minor, 16);
  assert_int_equal (r->block_io->throttle_read_bps_device[0].rate, 1048576);
  assert_int_equal (r->block_io->throttle_write_bps_device[0].rate, 2097152);
  assert_int_equal (r->block_io->throttle_read_iops_device[0].rate, 100);
  assert_int_equal (r->block_io->throttle_write_iops_device[0].rate, 200);
  assert_int_equal (r->n_hugepage_limits, 2);
  assert_string_equal (r->hugepage_limits[0].page_size, "2MB");
  assert_int_equal (r->hugepage_limits[0].limit, 209715200);
  assert_string_equal (r->hugepage_limits[1].page_size, "1GB");
  assert_non_null (r->network);
  assert_true (r->network->has_class_id);
  assert_int_equal (r->network->class_id, 1048577);
  assert_int_equal (r->network->n_priorities, 2);
  assert_string_equal (r->network->priorities[1].name, "eth1");
  assert_int_equal (r->network->priorities[1].priority, 1000);
  assert_int_equal (r->n_rdma, 2);
  assert_string_equal (r->rdma[0].device, "mlx5_1");
  assert_true (r->rdma[0].has_hca_handles);
  assert_int_equal (r->rdma[0].hca_handles, 3);
  assert_int_equal (r->rdma[0].hca_objects, 10000);
  assert_string_equal (r->rdma[1].device, "mlx4_0");
  assert_false (r->rdma[1].has_hca_handles);
  assert_int_equal (r->n_unified, 2);
  assert_string_equal (r->unified[1].key, "io.weight");
  assert_string_equal (r->unified[1].value, "default 100");

  s = l->seccomp;
  assert_non_null (s);
  assert_string_equal (s->default_action, "SCMP_ACT_ERRNO");
  assert_true (s->has_default_errno_ret);
  assert_int_equal (s->default_errno_ret, 1);
  assert_int_equal (s->n_architectures, 2);
  assert_string_equal (s->architectures[1], "SCMP_ARCH_X86");
  assert_int_equal (s->n_flags, 1);
  assert_string_equal (s->listener_path, "/run/seccomp.sock");
  assert_string_equal (s->listener_metadata, "meta");
  assert_int_equal (s->n_syscalls, 2);
  assert_int_equal (s->syscalls[0].n_names, 2);
  assert_string_equal (s->syscalls[0].names[1], "write");
  assert_false (s->syscalls[0].has_errno_ret);
  assert_int_equal (s->syscalls[0].n_args, 0);
  assert_true (s->syscalls[1].has_errno_ret);
  assert_int_equal (s->syscalls[1].errno_ret, 38);
  assert_int_equal (s->syscalls[1].n_args, 2);
  assert_true (s->syscalls[1].args[0].value == UINT64_MAX);
  assert_false (s->syscalls[1].args[0].has_value_two);
  assert_string_equal (s->syscalls[1].args[0].op, "SCMP_CMP_EQ");
  assert_int_equal (s->syscalls[1].args[1].index, 1);
  assert_int_equal (s->syscalls[1].args[1].value, 255);
  assert_true (s->syscalls[1].args[1].has_value_two);
  assert_int_equal (s->syscalls[1].args[1].value_two, 8);

  assert_string_equal (l->rootfs_propagation, "rslave");
  assert_int_equal (l->n_sysctl, 2);
  assert_string_equal (l->sysctl[0].key, "net.ipv4.ip_forward");
  assert_string_equal (l->sysctl[0].value, "1");
  assert_int_equal (l->n_masked_paths, 2);
  assert_string_equal (l->masked_paths[1], "/sys/firmware");
  assert_int_equal (l->n_readonly_paths, 1);
  assert_string_equal (l->mount_label,
                       "system_u:object_r:container_file_t:s0");
  assert_non_null (l->intel_rdt);
  assert_string_equal (l->intel_rdt->clos_id, "guaranteed");
  assert_string_equal (l->intel_rdt->l3_cache_schema, "L3:0=7f0");
  assert_string_equal (l->intel_rdt->mem_bw_schema, "MB:0=20");
  assert_int_equal (l->intel_rdt->n_schemata, 1);
  assert_true (l->intel_rdt->enable_monitoring);
  assert_non_null (l->memory_policy);
  assert_string_equal (l->memory_policy->mode, "MPOL_INTERLEAVE");
  assert_string_equal (l->memory_policy->nodes, "0-1");
  assert_string_equal (l->memory_policy->flags[0], "MPOL_F_STATIC_NODES");
  assert_non_null (l->personality);
  assert_string_equal (l->personality->domain, "LINUX32");
  assert_int_equal (l->personality->n_flags, 0);

  oci_config_free (c);
}

static void
test_minimal_and_null (void **state)
{
  oci_config *c = parse_ok (MIN_DOC "}");
  assert_null (c->process);
  assert_null (c->linux_);
  assert_false (c->has_root);
  assert_null (c->root.path);
  assert_null (c->hostname);
  assert_null (oci_config_namespace (c, OCI_NS_PID));
  oci_config_free (c);

  /* null means absent, for every kind of optional field.  */
  c = parse_ok (MIN_DOC ", \"root\": null, \"mounts\": null, \"process\": "
                "{\"cwd\": \"/\", \"args\": null, \"user\": null, "
                "\"terminal\": null, \"oomScoreAdj\": null, "
                "\"capabilities\": {\"bounding\": null}}, \"hostname\": null,"
                " \"hooks\": {\"prestart\": null}, \"annotations\": null, "
                "\"linux\": {\"resources\": {\"memory\": {\"limit\": null}},"
                " \"sysctl\": null, \"netDevices\": {\"eth0\": {\"name\": "
                "null}}}}");
  assert_non_null (c->process);
  assert_int_equal (c->process->n_args, 0);
  assert_false (c->process->terminal);
  assert_false (c->process->has_oom_score_adj);
  assert_int_equal (c->process->capabilities->n_bounding, 0);
  assert_null (c->hostname);
  assert_false (c->has_root);
  assert_non_null (c->linux_->resources->memory);
  assert_false (c->linux_->resources->memory->has_limit);
  assert_null (c->linux_->net_devices[0].name);
  oci_config_free (c);

  /* Unknown fields anywhere are ignored; empty arrays and maps are fine.  */
  c = parse_ok (MIN_DOC ", \"vm\": {\"x\": 1}, \"process\": {\"cwd\": \"/\","
                " \"newThing\": [1, {}]}, \"mounts\": [], \"annotations\": "
                "{}, \"linux\": {\"namespaces\": [], \"foo\": 1}}");
  assert_int_equal (c->n_mounts, 0);
  assert_null (c->mounts);
  assert_int_equal (c->n_annotations, 0);
  assert_int_equal (c->linux_->n_namespaces, 0);
  oci_config_free (c);
}

static void
test_versions (void **state)
{
  const char *ok[] = { "1.0.0", "1.0.2-dev", "1.2.1", "1.3.0", "1.10.0" };
  size_t i;
  for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
    {
      char *doc = xasprintf ("{\"ociVersion\": \"%s\"}", ok[i]);
      oci_config_free (parse_ok (doc));
      free (doc);
    }
  expect_error ("{\"ociVersion\": \"2.0.0\"}",
                "config.json: ociVersion: unsupported version \"2.0.0\" "
                "(berth supports 1.x)");
  expect_error ("{\"ociVersion\": \"0.9.0\"}",
                "config.json: ociVersion: unsupported version \"0.9.0\" "
                "(berth supports 1.x)");
  expect_error ("{\"ociVersion\": \"1\"}",
                "config.json: ociVersion: unsupported version \"1\" "
                "(berth supports 1.x)");
  expect_error ("{\"ociVersion\": \"\"}",
                "config.json: ociVersion: unsupported version \"\" "
                "(berth supports 1.x)");
  expect_error ("{}", "config.json: ociVersion: missing (required)");
  expect_error ("{\"ociVersion\": null}",
                "config.json: ociVersion: missing (required)");
  expect_error ("{\"ociVersion\": 1.0}",
                "config.json: ociVersion: expected a string");
}

/* ---- error messages ---------------------------------------------------- */

struct error_case
{
  const char *json;
  const char *msg;
};

static const struct error_case error_cases[] = {
  { "[]", "config.json: expected a JSON object" },
  { "\"x\"", "config.json: expected a JSON object" },
  { MIN_DOC ", \"hostname\": 1}", "config.json: hostname: expected a string" },
  { MIN_DOC ", \"root\": []}", "config.json: root: expected an object" },
  { MIN_DOC ", \"root\": {}}", "config.json: root.path: missing (required)" },
  { MIN_DOC ", \"root\": {\"path\": \"r\", \"readonly\": \"true\"}}",
    "config.json: root.readonly: expected a boolean" },
  { MIN_DOC ", \"root\": {\"path\": \"r\", \"readonly\": 1}}",
    "config.json: root.readonly: expected a boolean" },
  { MIN_DOC ", \"mounts\": {}}", "config.json: mounts: expected an array" },
  { MIN_DOC ", \"mounts\": [\"/x\"]}",
    "config.json: mounts[0]: expected an object" },
  { MIN_DOC ", \"mounts\": [{\"destination\": \"/a\"}, {\"type\": \"x\"}]}",
    "config.json: mounts[1].destination: missing (required)" },
  { MIN_DOC ", \"mounts\": [{\"destination\": \"/a\", \"options\": [\"ro\", "
            "false]}]}",
    "config.json: mounts[0].options[1]: expected a string" },
  { MIN_DOC ", \"mounts\": [{\"destination\": \"/a\", \"uidMappings\": "
            "[{\"containerID\": 0, \"hostID\": 1}]}]}",
    "config.json: mounts[0].uidMappings[0].size: missing (required)" },
  { MIN_DOC ", \"process\": {}}",
    "config.json: process.cwd: missing (required)" },
  { MIN_DOC ", \"process\": []}",
    "config.json: process: expected an object" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"args\": \"sh\"}}",
    "config.json: process.args: expected an array of strings" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"args\": [\"sh\", 1]}}",
    "config.json: process.args[1]: expected a string" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"args\": [\"sh\", null]}}",
    "config.json: process.args[1]: expected a string" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"env\": {}}}",
    "config.json: process.env: expected an array of strings" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": -1, "
            "\"gid\": 0}}}",
    "config.json: process.user.uid: expected an unsigned 32-bit integer" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": "
            "4294967296, \"gid\": 0}}}",
    "config.json: process.user.uid: expected an unsigned 32-bit integer" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": 1.5, "
            "\"gid\": 0}}}",
    "config.json: process.user.uid: expected an unsigned 32-bit integer" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": 1.0, "
            "\"gid\": 0}}}",
    "config.json: process.user.uid: expected an unsigned 32-bit integer" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": 1e3, "
            "\"gid\": 0}}}",
    "config.json: process.user.uid: expected an unsigned 32-bit integer" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": \"0\", "
            "\"gid\": 0}}}",
    "config.json: process.user.uid: expected an unsigned 32-bit integer" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": 0}}}",
    "config.json: process.user.gid: missing (required)" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": "
            "0, \"additionalGids\": [1, -2]}}}",
    "config.json: process.user.additionalGids[1]: expected an unsigned "
    "32-bit integer" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"consoleSize\": {\"height\": "
            "1}}}",
    "config.json: process.consoleSize.width: missing (required)" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"capabilities\": "
            "{\"bounding\": [\"CAP_KILL\", 7]}}}",
    "config.json: process.capabilities.bounding[1]: expected a string" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"rlimits\": [{\"type\": "
            "\"RLIMIT_NOFILE\", \"hard\": 1}]}}",
    "config.json: process.rlimits[0].soft: missing (required)" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"rlimits\": [{\"type\": "
            "\"RLIMIT_NOFILE\", \"soft\": -1, \"hard\": 1}]}}",
    "config.json: process.rlimits[0].soft: expected an unsigned 64-bit "
    "integer" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"rlimits\": [{\"type\": "
            "\"RLIMIT_NOFILE\", \"soft\": 18446744073709551616, \"hard\": "
            "1}]}}",
    "config.json: process.rlimits[0].soft: expected an unsigned 64-bit "
    "integer" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"oomScoreAdj\": 2147483648}}",
    "config.json: process.oomScoreAdj: expected a signed 32-bit integer" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"noNewPrivileges\": 0}}",
    "config.json: process.noNewPrivileges: expected a boolean" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"scheduler\": {}}}",
    "config.json: process.scheduler.policy: missing (required)" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"scheduler\": {\"policy\": "
            "\"SCHED_FAST\"}}}",
    "config.json: process.scheduler.policy: unknown scheduler policy "
    "\"SCHED_FAST\"" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"scheduler\": {\"policy\": "
            "\"SCHED_RR\", \"flags\": [\"SCHED_FLAG_RECLAIM\", \"X\"]}}}",
    "config.json: process.scheduler.flags[1]: unknown scheduler flag "
    "\"X\"" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"ioPriority\": {\"class\": "
            "\"IOPRIO_CLASS_RT\"}}}",
    "config.json: process.ioPriority.priority: missing (required)" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"ioPriority\": {\"class\": "
            "\"RT\", \"priority\": 1}}}",
    "config.json: process.ioPriority.class: unknown I/O priority class "
    "\"RT\"" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"execCPUAffinity\": "
            "{\"initial\": 1}}}",
    "config.json: process.execCPUAffinity.initial: expected a string" },
  { MIN_DOC ", \"hooks\": []}", "config.json: hooks: expected an object" },
  { MIN_DOC ", \"hooks\": {\"poststop\": [{\"args\": []}]}}",
    "config.json: hooks.poststop[0].path: missing (required)" },
  { MIN_DOC ", \"hooks\": {\"createRuntime\": [{\"path\": \"/x\", "
            "\"timeout\": 0}]}}",
    "config.json: hooks.createRuntime[0].timeout: must be greater than "
    "zero" },
  { MIN_DOC ", \"hooks\": {\"prestart\": [{\"path\": \"/x\", \"timeout\": "
            "-3}]}}",
    "config.json: hooks.prestart[0].timeout: must be greater than zero" },
  { MIN_DOC ", \"hooks\": {\"startContainer\": [{\"path\": \"/x\", "
            "\"env\": [1]}]}}",
    "config.json: hooks.startContainer[0].env[0]: expected a string" },
  { MIN_DOC ", \"annotations\": []}",
    "config.json: annotations: expected an object" },
  { MIN_DOC ", \"annotations\": {\"a\": \"b\", \"c.d\": 1}}",
    "config.json: annotations[\"c.d\"]: expected a string" },
  { MIN_DOC ", \"linux\": 1}", "config.json: linux: expected an object" },
  { MIN_DOC ", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": "
            "\"mount\"}, {\"type\": \"foo\"}]}}",
    "config.json: linux.namespaces[2].type: unknown namespace \"foo\"" },
  { MIN_DOC ", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": "
            "\"mount\"}, {\"type\": \"ipc\"}, {\"type\": \"pid\"}]}}",
    "config.json: linux.namespaces[3]: duplicate namespace \"pid\"" },
  { MIN_DOC ", \"linux\": {\"namespaces\": [{\"path\": \"/x\"}]}}",
    "config.json: linux.namespaces[0].type: missing (required)" },
  { MIN_DOC ", \"linux\": {\"namespaces\": [{\"type\": \"net\"}]}}",
    "config.json: linux.namespaces[0].type: unknown namespace \"net\"" },
  { MIN_DOC ", \"linux\": {\"uidMappings\": [{\"hostID\": 1, \"size\": "
            "1}]}}",
    "config.json: linux.uidMappings[0].containerID: missing (required)" },
  { MIN_DOC ", \"linux\": {\"gidMappings\": [{\"containerID\": 0, \"hostID\":"
            " 1, \"size\": -1}]}}",
    "config.json: linux.gidMappings[0].size: expected an unsigned 32-bit "
    "integer" },
  { MIN_DOC ", \"linux\": {\"timeOffsets\": {\"monotonic\": {\"secs\": "
            "9223372036854775808}}}}",
    "config.json: linux.timeOffsets.monotonic.secs: expected a signed "
    "64-bit integer" },
  { MIN_DOC ", \"linux\": {\"timeOffsets\": {\"boottime\": {\"nanosecs\": "
            "-1}}}}",
    "config.json: linux.timeOffsets.boottime.nanosecs: expected an "
    "unsigned 32-bit integer" },
  { MIN_DOC ", \"linux\": {\"devices\": [{\"path\": \"/dev/x\"}]}}",
    "config.json: linux.devices[0].type: missing (required)" },
  { MIN_DOC ", \"linux\": {\"devices\": [{\"type\": \"x\", \"path\": "
            "\"/dev/x\"}]}}",
    "config.json: linux.devices[0].type: unknown device type \"x\"" },
  { MIN_DOC ", \"linux\": {\"devices\": [{\"type\": \"cb\", \"path\": "
            "\"/dev/x\"}]}}",
    "config.json: linux.devices[0].type: unknown device type \"cb\"" },
  { MIN_DOC ", \"linux\": {\"devices\": [{\"type\": \"c\", \"major\": 1, "
            "\"minor\": 1}]}}",
    "config.json: linux.devices[0].path: missing (required)" },
  { MIN_DOC ", \"linux\": {\"devices\": [{\"type\": \"c\", \"path\": "
            "\"/dev/x\", \"minor\": 1}]}}",
    "config.json: linux.devices[0].major: missing (required)" },
  { MIN_DOC ", \"linux\": {\"devices\": [{\"type\": \"b\", \"path\": "
            "\"/dev/x\", \"major\": 1}]}}",
    "config.json: linux.devices[0].minor: missing (required)" },
  { MIN_DOC ", \"linux\": {\"devices\": [{\"type\": \"c\", \"path\": "
            "\"/dev/x\", \"major\": 1, \"minor\": 1, \"fileMode\": -1}]}}",
    "config.json: linux.devices[0].fileMode: expected an unsigned 32-bit "
    "integer" },
  { MIN_DOC ", \"linux\": {\"netDevices\": []}}",
    "config.json: linux.netDevices: expected an object" },
  { MIN_DOC ", \"linux\": {\"netDevices\": {\"eth0\": \"x\"}}}",
    "config.json: linux.netDevices[\"eth0\"]: expected an object" },
  { MIN_DOC ", \"linux\": {\"netDevices\": {\"eth0\": {\"name\": 0}}}}",
    "config.json: linux.netDevices[\"eth0\"].name: expected a string" },
  { MIN_DOC ", \"linux\": {\"rootfsPropagation\": \"bogus\"}}",
    "config.json: linux.rootfsPropagation: unknown rootfs propagation "
    "\"bogus\"" },
  { MIN_DOC ", \"linux\": {\"sysctl\": [\"a=b\"]}}",
    "config.json: linux.sysctl: expected an object" },
  { MIN_DOC ", \"linux\": {\"sysctl\": {\"net.x\": 1}}}",
    "config.json: linux.sysctl[\"net.x\"]: expected a string" },
  { MIN_DOC ", \"linux\": {\"maskedPaths\": \"/proc\"}}",
    "config.json: linux.maskedPaths: expected an array of strings" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"devices\": [{\"access\": "
            "\"rwm\"}]}}}",
    "config.json: linux.resources.devices[0].allow: missing (required)" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"devices\": [{\"allow\": true, "
            "\"type\": \"p\"}]}}}",
    "config.json: linux.resources.devices[0].type: unknown device cgroup "
    "type \"p\"" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"memory\": {\"limit\": "
            "\"1G\"}}}}",
    "config.json: linux.resources.memory.limit: expected a signed 64-bit "
    "integer" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"cpu\": {\"shares\": -2}}}}",
    "config.json: linux.resources.cpu.shares: expected an unsigned 64-bit "
    "integer" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"pids\": {}}}}",
    "config.json: linux.resources.pids.limit: missing (required)" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"blockIO\": {\"weight\": "
            "65536}}}}",
    "config.json: linux.resources.blockIO.weight: expected an unsigned "
    "16-bit integer" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"blockIO\": {\"weightDevice\": "
            "[{\"major\": 8}]}}}}",
    "config.json: linux.resources.blockIO.weightDevice[0].minor: missing "
    "(required)" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"blockIO\": "
            "{\"throttleWriteIOPSDevice\": [{\"major\": 8, \"minor\": 0, "
            "\"rate\": 1.5}]}}}}",
    "config.json: linux.resources.blockIO.throttleWriteIOPSDevice[0].rate: "
    "expected an unsigned 64-bit integer" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"hugepageLimits\": [{\"limit\": "
            "1}]}}}",
    "config.json: linux.resources.hugepageLimits[0].pageSize: missing "
    "(required)" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"hugepageLimits\": "
            "[{\"pageSize\": \"2MB\"}]}}}",
    "config.json: linux.resources.hugepageLimits[0].limit: missing "
    "(required)" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"network\": {\"priorities\": "
            "[{\"name\": \"eth0\"}]}}}}",
    "config.json: linux.resources.network.priorities[0].priority: missing "
    "(required)" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"rdma\": {\"mlx\": "
            "{\"hcaHandles\": -1}}}}}",
    "config.json: linux.resources.rdma[\"mlx\"].hcaHandles: expected an "
    "unsigned 32-bit integer" },
  { MIN_DOC ", \"linux\": {\"resources\": {\"unified\": {\"memory.max\": "
            "1024}}}}",
    "config.json: linux.resources.unified[\"memory.max\"]: expected a "
    "string" },
  { MIN_DOC ", \"linux\": {\"seccomp\": {}}}",
    "config.json: linux.seccomp.defaultAction: missing (required)" },
  { MIN_DOC ", \"linux\": {\"seccomp\": {\"defaultAction\": "
            "\"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": "
            "\"SCMP_ACT_ERRNO\"}]}}}",
    "config.json: linux.seccomp.syscalls[0].names: missing (required)" },
  { MIN_DOC ", \"linux\": {\"seccomp\": {\"defaultAction\": "
            "\"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [], \"action\": "
            "\"SCMP_ACT_ERRNO\"}]}}}",
    "config.json: linux.seccomp.syscalls[0].names: expected at least one "
    "syscall name" },
  { MIN_DOC ", \"linux\": {\"seccomp\": {\"defaultAction\": "
            "\"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"]}]}}}",
    "config.json: linux.seccomp.syscalls[0].action: missing (required)" },
  { MIN_DOC ", \"linux\": {\"seccomp\": {\"defaultAction\": "
            "\"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
            "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, "
            "\"value\": 1}]}]}}}",
    "config.json: linux.seccomp.syscalls[0].args[0].op: missing "
    "(required)" },
  { MIN_DOC ", \"linux\": {\"seccomp\": {\"defaultAction\": "
            "\"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
            "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, "
            "\"op\": \"SCMP_CMP_EQ\"}]}]}}}",
    "config.json: linux.seccomp.syscalls[0].args[0].value: missing "
    "(required)" },
  { MIN_DOC ", \"linux\": {\"seccomp\": {\"defaultAction\": "
            "\"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
            "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"value\": 0, "
            "\"op\": \"SCMP_CMP_EQ\"}]}]}}}",
    "config.json: linux.seccomp.syscalls[0].args[0].index: missing "
    "(required)" },
  { MIN_DOC ", \"linux\": {\"seccomp\": {\"defaultAction\": "
            "\"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": true}}}",
    "config.json: linux.seccomp.defaultErrnoRet: expected an unsigned "
    "32-bit integer" },
  { MIN_DOC ", \"linux\": {\"intelRdt\": {\"schemata\": \"L3\"}}}",
    "config.json: linux.intelRdt.schemata: expected an array of strings" },
  { MIN_DOC ", \"linux\": {\"memoryPolicy\": {\"nodes\": \"0\"}}}",
    "config.json: linux.memoryPolicy.mode: missing (required)" },
  { MIN_DOC ", \"linux\": {\"memoryPolicy\": {\"mode\": \"MPOL_BIND\", "
            "\"flags\": [\"MPOL_F_NOPE\"]}}}",
    "config.json: linux.memoryPolicy.flags[0]: unknown memory policy flag "
    "\"MPOL_F_NOPE\"" },
  { MIN_DOC ", \"linux\": {\"personality\": {\"flags\": []}}}",
    "config.json: linux.personality.domain: missing (required)" },
  { MIN_DOC ", \"linux\": {\"personality\": {\"domain\": \"BSD\"}}}",
    "config.json: linux.personality.domain: unknown personality domain "
    "\"BSD\"" },
  /* Error values are quoted safely and kept short.  */
  { MIN_DOC ", \"linux\": {\"namespaces\": [{\"type\": \"a\\\"b\\n\"}]}}",
    "config.json: linux.namespaces[0].type: unknown namespace "
    "\"a\\\"b\\x0a\"" },
  /* Repeated keys: the last one counts, as with Go's decoder.  */
  { MIN_DOC ", \"hostname\": \"ok\", \"hostname\": 5}",
    "config.json: hostname: expected a string" },
  { MIN_DOC ", \"process\": {\"cwd\": \"/\", \"capabilities\": "
            "{\"bounding\": [\"CAP_KILL\"], \"bounding\": [1]}}}",
    "config.json: process.capabilities.bounding[0]: expected a string" },
  /* Values read in place, not copied, fail as copied ones do.  */
  { MIN_DOC ", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, "
            "{\"type\": 1}]}}",
    "config.json: linux.namespaces[1].type: expected a string" },
  { MIN_DOC ", \"linux\": {\"devices\": [{\"type\": [\"c\"], \"path\": "
            "\"/dev/x\"}]}}",
    "config.json: linux.devices[0].type: expected a string" },
  /* A map key in a path is quoted as values are, even empty, and the
     path goes on after it.  */
  { MIN_DOC ", \"linux\": {\"sysctl\": {\"a\\\"b\\n\": 1}}}",
    "config.json: linux.sysctl[\"a\\\"b\\x0a\"]: expected a string" },
  { MIN_DOC ", \"annotations\": {\"\": []}}",
    "config.json: annotations[\"\"]: expected a string" },
  { MIN_DOC ", \"linux\": {\"netDevices\": {\"eth0\": {\"name\": \"a\"}, "
            "\"eth1\": {\"name\": {}}}}}",
    "config.json: linux.netDevices[\"eth1\"].name: expected a string" },
  /* An index past 9 and a path several arrays deep.  */
  { MIN_DOC ", \"linux\": {\"maskedPaths\": [\"0\", \"1\", \"2\", \"3\", "
            "\"4\", \"5\", \"6\", \"7\", \"8\", \"9\", \"10\", null]}}",
    "config.json: linux.maskedPaths[11]: expected a string" },
  { MIN_DOC ", \"linux\": {\"seccomp\": {\"defaultAction\": "
            "\"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
            "\"action\": \"SCMP_ACT_ERRNO\"}, {\"names\": [\"a\", false], "
            "\"action\": \"SCMP_ACT_ERRNO\"}]}}}",
    "config.json: linux.seccomp.syscalls[1].names[1]: expected a string" },
};

static void
test_error_messages (void **state)
{
  size_t i;
  for (i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++)
    expect_error (error_cases[i].json, error_cases[i].msg);
}

static void
test_numbers (void **state)
{
  oci_config *c;

  /* uint64 above INT64_MAX keeps every digit.  */
  c = parse_ok (MIN_DOC ", \"process\": {\"cwd\": \"/\", \"rlimits\": "
                "[{\"type\": \"RLIMIT_AS\", \"soft\": 9223372036854775808, "
                "\"hard\": 18446744073709551615}]}}");
  assert_true (c->process->rlimits[0].soft == 9223372036854775808ULL);
  assert_true (c->process->rlimits[0].hard == UINT64_MAX);
  oci_config_free (c);

  c = parse_ok (MIN_DOC ", \"linux\": {\"timeOffsets\": {\"monotonic\": "
                "{\"secs\": -9223372036854775808, \"nanosecs\": "
                "4294967295}}, \"resources\": {\"blockIO\": {\"weight\": "
                "65535}}}, \"process\": {\"cwd\": \"/\", \"oomScoreAdj\": "
                "-2147483648, \"user\": {\"uid\": 4294967295, \"gid\": -0}}}");
  assert_true (c->linux_->time_offset_monotonic.secs == INT64_MIN);
  assert_int_equal (c->linux_->time_offset_monotonic.nanosecs, UINT32_MAX);
  assert_int_equal (c->linux_->resources->block_io->weight, 65535);
  assert_int_equal (c->process->oom_score_adj, INT32_MIN);
  assert_int_equal (c->process->user.uid, UINT32_MAX);
  assert_int_equal (c->process->user.gid, 0);
  oci_config_free (c);

  expect_error (MIN_DOC ", \"linux\": {\"timeOffsets\": {\"monotonic\": "
                "{\"secs\": -9223372036854775809}}}}",
                "config.json: linux.timeOffsets.monotonic.secs: expected a "
                "signed 64-bit integer");
  expect_error (MIN_DOC ", \"process\": {\"cwd\": \"/\", \"rlimits\": "
                "[{\"type\": \"RLIMIT_AS\", \"soft\": "
                "99999999999999999999999999999, \"hard\": 1}]}}",
                "config.json: process.rlimits[0].soft: expected an unsigned "
                "64-bit integer");
  expect_error (MIN_DOC ", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\":"
                " 0, \"gid\": 0, \"umask\": -18}}}",
                "config.json: process.user.umask: expected an unsigned "
                "32-bit integer");
  expect_error (MIN_DOC ", \"process\": {\"cwd\": \"/\", \"user\": {\"uid\":"
                " 1E400, \"gid\": 0}}}",
                "config.json: process.user.uid: expected an unsigned 32-bit "
                "integer");

  /* The edges of the hand-written decimal conversion.  */
  c = parse_ok (MIN_DOC ", \"linux\": {\"timeOffsets\": {\"monotonic\": "
                "{\"secs\": 9223372036854775807}, \"boottime\": {\"secs\": "
                "-0}}}, \"process\": {\"cwd\": \"/\", \"oomScoreAdj\": "
                "2147483647, \"rlimits\": [{\"type\": \"RLIMIT_AS\", "
                "\"soft\": -0, \"hard\": 0}]}}");
  assert_true (c->linux_->time_offset_monotonic.secs == INT64_MAX);
  assert_true (c->linux_->time_offset_boottime.secs == 0);
  assert_int_equal (c->process->oom_score_adj, INT32_MAX);
  assert_true (c->process->rlimits[0].soft == 0);
  oci_config_free (c);
  expect_error (MIN_DOC ", \"process\": {\"cwd\": \"/\", \"oomScoreAdj\": "
                "-2147483649}}",
                "config.json: process.oomScoreAdj: expected a signed 32-bit "
                "integer");
  expect_error (MIN_DOC ", \"process\": {\"cwd\": \"/\", \"oomScoreAdj\": "
                "-0.5}}",
                "config.json: process.oomScoreAdj: expected a signed 32-bit "
                "integer");
  expect_error (MIN_DOC ", \"process\": {\"cwd\": \"/\", \"rlimits\": "
                "[{\"type\": \"RLIMIT_AS\", \"soft\": -0.0, \"hard\": 1}]}}",
                "config.json: process.rlimits[0].soft: expected an unsigned "
                "64-bit integer");
  expect_error (MIN_DOC ", \"process\": {\"cwd\": \"/\", \"rlimits\": "
                "[{\"type\": \"RLIMIT_AS\", \"soft\": 1, \"hard\": "
                "18446744073709551620}]}}",
                "config.json: process.rlimits[0].hard: expected an unsigned "
                "64-bit integer");
  expect_error (MIN_DOC ", \"linux\": {\"resources\": {\"blockIO\": "
                "{\"weight\": 65536}}}}",
                "config.json: linux.resources.blockIO.weight: expected an "
                "unsigned 16-bit integer");
}

/* ---- limits and malformed input ---------------------------------------- */

static void
test_invalid_json (void **state)
{
  static const char *bad[] = {
    "",        "{",       "{\"ociVersion\": \"1.0.0\",}",
    "nul",     "{\"a\" 1}", "{\"ociVersion\": \"1.0.0\"} {}",
    "{\"ociVersion\": \"1.0.0\"} x", "{\"a\": 01}", "{\"a\": \"\xff\"}",
    "{\"a\": \"\x01\"}", "[1, 2",
  };
  size_t i;

  for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      berth_error *err = NULL;
      oci_config *c = oci_config_parse (bad[i], strlen (bad[i]),
                                        "config.json", &err);
      assert_null (c);
      assert_non_null (err);
      if (strncmp (err->msg, "config.json: invalid JSON: ", 27) != 0)
        fail_msg ("input %s: %s", bad[i], err->msg);
      assert_null (strchr (err->msg, '\n'));
      berth_error_free (err);
    }
  expect_error ("{", "config.json: invalid JSON: parse error: premature EOF "
                     "(line 1, column 2)");
  expect_error ("{\n  \"ociVersion\": \"1.0.0\",\n  \"x\": [1,,2]\n}",
                "config.json: invalid JSON: parse error: unallowed token at "
                "this point in JSON text (line 3, column 12)");
  /* Ending early: the position is the document's end, not the start.  */
  expect_error ("{\n  \"ociVersion\": \"1.0.0\"",
                "config.json: invalid JSON: parse error: premature EOF "
                "(line 2, column 24)");
  expect_error_len (NULL, 0,
                    "config.json: invalid JSON: parse error: premature EOF "
                    "(line 1, column 1)");

  /* NUL bytes: raw, and escaped (a C string would end there).  */
  expect_error_len (MIN_DOC "}\0", sizeof (MIN_DOC "}") - 1 + 1,
                    "config.json: invalid JSON: NUL byte at offset 23");
  expect_error (MIN_DOC ", \"hostname\": \"a\\u0000b\"}",
                "config.json: invalid JSON: \\u0000 in a string at offset "
                "38");
  /* ... but an escaped backslash before "u0000" is just text.  */
  oci_config_free (parse_ok (MIN_DOC ", \"hostname\": \"a\\\\u0000b\"}"));

  /* yajl accepts comments; so do we.  */
  oci_config_free (parse_ok (MIN_DOC ", /* [[[ */ \"hostname\": \"x\" // "
                                     "{{{\n}"));
}

static char *
nested (size_t depth, const char *open, const char *close)
{
  size_t n = strlen (MIN_DOC) + depth * 2 + 32, i;
  char *s = xmalloc0 (n);
  strcpy (s, MIN_DOC ", \"x\": ");
  for (i = 0; i < depth; i++)
    strcat (s, open);
  strcat (s, "1");
  for (i = 0; i < depth; i++)
    strcat (s, close);
  strcat (s, "}");
  return s;
}

static void
test_nesting (void **state)
{
  char *s;

  s = nested (100, "[", "]");
  expect_error (s, "config.json: JSON nested too deeply");
  free (s);

  /* The document itself is one level: 63 more are fine, 64 are not.  */
  s = nested (63, "[", "]");
  oci_config_free (parse_ok (s));
  free (s);
  s = nested (64, "[", "]");
  expect_error (s, "config.json: JSON nested too deeply");
  free (s);

  /* A million opening brackets stop at the limit, as the containers
     open: no stack grows with the input.  "{{" is already a syntax error
     at its second brace; "{"a":{"a":..." is the deep object.  */
  s = xmalloc0 (5 * 1000000 + 1);
  memset (s, '[', 1000000);
  expect_error (s, "config.json: JSON nested too deeply");
  for (size_t i = 0; i < 200000; i++)
    memcpy (s + 5 * i, "{\"a\":", 5);
  expect_error (s, "config.json: JSON nested too deeply");
  memset (s, '{', 1000000);
  s[1000000] = '\0';
  expect_error (s, "config.json: invalid JSON: parse error: invalid object "
                   "key (must be a string) (line 1, column 3)");
  free (s);

  /* Brackets in strings do not count.  */
  s = xmalloc0 (300);
  strcpy (s, MIN_DOC ", \"hostname\": \"");
  memset (s + strlen (s), '[', 200);
  strcat (s, "\"}");
  oci_config_free (parse_ok (s));
  free (s);
}

static void
test_too_large (void **state)
{
  size_t len = OCI_JSON_MAX_SIZE + 1;
  char *s = xmalloc0 (len);
  memset (s, ' ', len);
  expect_error_len (s, len, "config.json: file too large");
  /* Exactly the limit is still parsed (whitespace around a document).  */
  memcpy (s, MIN_DOC "}", strlen (MIN_DOC "}"));
  {
    berth_error *err = NULL;
    oci_config *c = oci_config_parse (s, len - 1, "config.json", &err);
    assert_non_null (c);
    oci_config_free (c);
  }
  free (s);
}

static void
test_huge_arrays (void **state)
{
  /* yajl_tree grows arrays one element at a time (realloc); under
     valgrind that is quadratic, so "huge" stays at 20000 here.  */
  const size_t n = 20000;
  size_t i, cap = n * 24 + 256, used;
  char *s = xmalloc0 (cap);
  oci_config *c;

  used = (size_t) sprintf (s, MIN_DOC ", \"process\": {\"cwd\": \"/\", "
                                      "\"args\": [");
  for (i = 0; i < n; i++)
    used += (size_t) sprintf (s + used, "%s\"a\"", i ? "," : "");
  strcpy (s + used, "]}}");
  c = parse_ok (s);
  assert_int_equal (c->process->n_args, n);
  assert_null (c->process->args[n]);
  oci_config_free (c);

  /* A big map made of repeated keys collapses to the distinct ones.  */
  used = (size_t) sprintf (s, MIN_DOC ", \"annotations\": {");
  for (i = 0; i < n; i++)
    used += (size_t) sprintf (s + used, "%s\"k%zu\":\"v%zu\"", i ? "," : "",
                              i % 1000, i);
  strcpy (s + used, "}}");
  c = parse_ok (s);
  assert_int_equal (c->n_annotations, 1000);
  assert_string_equal (oci_config_annotation (c, "k7"), "v19007");
  oci_config_free (c);
  free (s);
}

static void
test_truncations (void **state)
{
  size_t len, off, last;
  char *full = read_fixture ("config-full.json", &len);

  /* Every proper prefix ending before the closing brace is invalid.  */
  last = len;
  while (last > 0 && full[last - 1] != '}')
    last--;
  assert_true (last > 0);
  for (off = 0; off < last; off++)
    {
      char *copy = xmalloc0 (off + 1);
      berth_error *err = NULL;
      oci_config *c;

      memcpy (copy, full, off);
      c = oci_config_parse (copy, off, "config.json", &err);
      if (c != NULL)
        fail_msg ("truncation at %zu parsed", off);
      assert_non_null (err);
      assert_true (strncmp (err->msg, "config.json: ", 13) == 0);
      berth_error_free (err);
      free (copy);
    }
  free (full);
}

static void
test_byte_mutations (void **state)
{
  static const char repl[] = { '"', '{', ']', '-', '9', 'x', '\\', ' ' };
  size_t len, off, k;
  char *full = read_fixture ("config-full.json", &len);
  char *copy = xmalloc0 (len + 1);

  /* Two replacements per offset, rotating through the set: every offset
     and every character get exercised at a cost valgrind can bear.  */
  for (off = 0; off < len; off++)
    for (k = off % (sizeof repl / 2); k < sizeof repl; k += sizeof repl / 2)
      {
        berth_error *err = NULL;
        oci_config *c;

        memcpy (copy, full, len);
        copy[off] = repl[k];
        c = oci_config_parse (copy, len, "config.json", &err);
        if (c == NULL)
          {
            assert_non_null (err);
            assert_true (strncmp (err->msg, "config.json: ", 13) == 0);
            berth_error_free (err);
          }
        else
          oci_config_free (c);
      }
  free (copy);
  free (full);
}

/* Structural fuzzing: every value of the full document in turn replaced by
   values of every JSON type, and every key renamed.  The parser must fail
   cleanly or succeed, never crash or leak (run under valgrind).  */
static void
gen_tree (yajl_gen g, yajl_val v)
{
  size_t i;
  switch (v->type)
    {
    case yajl_t_string:
      yajl_gen_string (g, (const unsigned char *) v->u.string,
                       strlen (v->u.string));
      break;
    case yajl_t_number:
      yajl_gen_number (g, v->u.number.r, strlen (v->u.number.r));
      break;
    case yajl_t_object:
      yajl_gen_map_open (g);
      for (i = 0; i < v->u.object.len; i++)
        {
          yajl_gen_string (g, (const unsigned char *) v->u.object.keys[i],
                           strlen (v->u.object.keys[i]));
          gen_tree (g, v->u.object.values[i]);
        }
      yajl_gen_map_close (g);
      break;
    case yajl_t_array:
      yajl_gen_array_open (g);
      for (i = 0; i < v->u.array.len; i++)
        gen_tree (g, v->u.array.values[i]);
      yajl_gen_array_close (g);
      break;
    case yajl_t_true:
      yajl_gen_bool (g, 1);
      break;
    case yajl_t_false:
      yajl_gen_bool (g, 0);
      break;
    default:
      yajl_gen_null (g);
      break;
    }
}

struct slots
{
  yajl_val **v;
  size_t n, cap;
  const char ***keys;
  size_t n_keys, cap_keys;
};

static void
collect (yajl_val v, struct slots *s)
{
  size_t i;
  yajl_val *children = NULL;
  size_t n = 0;

  if (YAJL_IS_OBJECT (v))
    {
      children = v->u.object.values;
      n = v->u.object.len;
      for (i = 0; i < n; i++)
        {
          if (s->n_keys == s->cap_keys)
            {
              s->cap_keys = s->cap_keys ? s->cap_keys * 2 : 64;
              s->keys = xrealloc (s->keys, s->cap_keys * sizeof (*s->keys));
            }
          s->keys[s->n_keys++] = &v->u.object.keys[i];
        }
    }
  else if (YAJL_IS_ARRAY (v))
    {
      children = v->u.array.values;
      n = v->u.array.len;
    }
  for (i = 0; i < n; i++)
    {
      if (s->n == s->cap)
        {
          s->cap = s->cap ? s->cap * 2 : 64;
          s->v = xrealloc (s->v, s->cap * sizeof (*s->v));
        }
      s->v[s->n++] = &children[i];
      collect (children[i], s);
    }
}

static int
parse_tree (yajl_val root)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;
  berth_error *err = NULL;
  oci_config *c;
  int ok;

  gen_tree (g, root);
  yajl_gen_get_buf (g, &buf, &len);
  c = oci_config_parse ((const char *) buf, len, "config.json", &err);
  ok = c != NULL;
  if (c == NULL)
    {
      assert_non_null (err);
      if (strncmp (err->msg, "config.json: ", 13) != 0)
        fail_msg ("bad message: %s", err->msg);
      berth_error_free (err);
    }
  oci_config_free (c);
  yajl_gen_free (g);
  return ok;
}

static void
test_structural_fuzz (void **state)
{
  static const char *values[] = {
    "null", "true", "0", "-1", "1.5", "18446744073709551616", "\"\"",
    "\"x\"", "[]", "{}", "[null]", "[{}]", "{\"a\": null}", "[\"x\", 1]",
  };
  yajl_val repl[sizeof values / sizeof values[0]];
  struct slots s = { 0 };
  size_t len, i, k;
  char *full = read_fixture ("config-full.json", &len);
  char errbuf[256];
  yajl_val root = yajl_tree_parse (full, errbuf, sizeof errbuf);
  size_t failures = 0, runs = 0;

  assert_non_null (root);
  assert_true (parse_tree (root));
  for (k = 0; k < sizeof values / sizeof values[0]; k++)
    {
      repl[k] = yajl_tree_parse (values[k], errbuf, sizeof errbuf);
      assert_non_null (repl[k]);
    }
  collect (root, &s);
  assert_true (s.n > 300);
  for (i = 0; i < s.n; i++)
    for (k = 0; k < sizeof values / sizeof values[0]; k++)
      {
        yajl_val saved = *s.v[i];
        *s.v[i] = repl[k];
        failures += !parse_tree (root);
        runs++;
        *s.v[i] = saved;
      }
  for (i = 0; i < s.n_keys; i++)
    {
      const char *saved = *s.keys[i];
      *s.keys[i] = "renamed";
      parse_tree (root);
      *s.keys[i] = saved;
    }
  /* Most replacements are type errors.  */
  assert_true (failures > runs / 2);
  for (k = 0; k < sizeof values / sizeof values[0]; k++)
    yajl_tree_free (repl[k]);
  free (s.v);
  free (s.keys);
  yajl_tree_free (root);
  free (full);
}

/* ---- the rest of the API ----------------------------------------------- */

static void
test_parse_file (void **state)
{
  berth_error *err = NULL;
  char dir[] = "/tmp/berth-test-config.XXXXXX";
  char *path;
  int fd;

  assert_null (oci_config_parse_file ("/nonexistent/config.json", &err));
  assert_string_equal (err->msg, "open /nonexistent/config.json: No such "
                                 "file or directory");
  berth_error_clear (&err);

  assert_non_null (mkdtemp (dir));
  path = xasprintf ("%s/my.json", dir);
  fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  assert_true (fd >= 0);
  assert_true (write_all (fd, "{\"ociVersion\": 5}", 17) == 17);
  close (fd);
  /* The basename names the document in messages.  */
  assert_null (oci_config_parse_file (path, &err));
  assert_string_equal (err->msg, "my.json: ociVersion: expected a string");
  berth_error_clear (&err);
  unlink (path);
  free (path);

  /* A directory cannot be read.  */
  assert_null (oci_config_parse_file (dir, &err));
  assert_non_null (err);
  berth_error_clear (&err);
  rmdir (dir);
}

static void
test_names (void **state)
{
  assert_string_equal (oci_hook_kind_name (OCI_HOOK_PRESTART), "prestart");
  assert_string_equal (oci_hook_kind_name (OCI_HOOK_CREATE_RUNTIME),
                       "createRuntime");
  assert_string_equal (oci_hook_kind_name (OCI_HOOK_CREATE_CONTAINER),
                       "createContainer");
  assert_string_equal (oci_hook_kind_name (OCI_HOOK_START_CONTAINER),
                       "startContainer");
  assert_string_equal (oci_hook_kind_name (OCI_HOOK_POSTSTART), "poststart");
  assert_string_equal (oci_hook_kind_name (OCI_HOOK_POSTSTOP), "poststop");
  assert_null (oci_hook_kind_name (OCI_HOOK_KINDS));
  assert_null (oci_hook_kind_name ((oci_hook_kind) -1));

  assert_string_equal (oci_ns_type_name (OCI_NS_PID), "pid");
  assert_string_equal (oci_ns_type_name (OCI_NS_NETWORK), "network");
  assert_string_equal (oci_ns_type_name (OCI_NS_MOUNT), "mount");
  assert_string_equal (oci_ns_type_name (OCI_NS_IPC), "ipc");
  assert_string_equal (oci_ns_type_name (OCI_NS_UTS), "uts");
  assert_string_equal (oci_ns_type_name (OCI_NS_USER), "user");
  assert_string_equal (oci_ns_type_name (OCI_NS_CGROUP), "cgroup");
  assert_string_equal (oci_ns_type_name (OCI_NS_TIME), "time");
  assert_null (oci_ns_type_name (OCI_NS_TYPES));

  assert_null (oci_config_annotation (NULL, "x"));
  assert_null (oci_config_namespace (NULL, OCI_NS_PID));
  oci_config_free (NULL);
}

static void
test_propagations (void **state)
{
  static const char *ok[] = { "shared",  "slave",  "private",  "unbindable",
                              "rshared", "rslave", "rprivate", "runbindable" };
  size_t i;
  for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
    {
      char *doc = xasprintf (MIN_DOC ", \"linux\": {\"rootfsPropagation\": "
                                     "\"%s\"}}", ok[i]);
      oci_config *c = parse_ok (doc);
      assert_string_equal (c->linux_->rootfs_propagation, ok[i]);
      oci_config_free (c);
      free (doc);
    }
}

static void
test_default_spec (void **state)
{
  size_t len;
  char *json = oci_default_spec_json (false, true, 0, 0, &len);
  berth_error *err = NULL;
  oci_config *c;

  assert_int_equal (strlen (json), len);
  assert_true (strncmp (json, "{\n\t\"ociVersion\": \"1.3.0\",\n", 26) == 0);
  assert_int_not_equal (json[len - 1], '\n');
  c = oci_config_parse (json, len, "config.json", &err);
  if (c == NULL)
    fail_msg ("%s", err->msg);
  assert_string_equal (c->hostname, "berth");
  assert_true (c->process->terminal);
  assert_string_equal (c->process->args[0], "sh");
  assert_int_equal (c->process->capabilities->n_bounding, 3);
  assert_int_equal (c->process->capabilities->n_ambient, 0);
  assert_int_equal (c->process->capabilities->n_inheritable, 0);
  assert_int_equal (c->process->rlimits[0].soft, 1024);
  assert_true (c->process->no_new_privileges);
  assert_string_equal (c->root.path, "rootfs");
  assert_true (c->root.readonly);
  assert_int_equal (c->n_mounts, 7);
  assert_string_equal (c->mounts[6].destination, "/sys/fs/cgroup");
  assert_string_equal (c->mounts[2].options[5], "gid=5");
  assert_int_equal (c->linux_->n_namespaces, 6);
  assert_non_null (oci_config_namespace (c, OCI_NS_CGROUP));
  assert_null (oci_config_namespace (c, OCI_NS_USER));
  assert_int_equal (c->linux_->resources->n_devices, 1);
  assert_false (c->linux_->resources->devices[0].allow);
  assert_string_equal (c->linux_->resources->devices[0].access, "rwm");
  assert_int_equal (c->linux_->n_masked_paths, 10);
  assert_int_equal (c->linux_->n_readonly_paths, 5);
  /* runc's order on cgroup v2: the cgroup namespace after mount.  */
  assert_int_equal (c->linux_->namespaces[5].type, OCI_NS_CGROUP);
  oci_config_free (c);
  free (json);

  /* cgroup v1: runc's spec has no cgroup namespace.  */
  json = oci_default_spec_json (false, false, 0, 0, &len);
  c = oci_config_parse (json, len, "config.json", &err);
  if (c == NULL)
    fail_msg ("%s", err->msg);
  assert_int_equal (c->linux_->n_namespaces, 5);
  assert_null (oci_config_namespace (c, OCI_NS_CGROUP));
  oci_config_free (c);
  free (json);

  /* --rootless on cgroup v2: cgroup, then user, as runc's.  */
  json = oci_default_spec_json (true, true, 1234, 5678, &len);
  c = oci_config_parse (json, len, "config.json", &err);
  if (c == NULL)
    fail_msg ("%s", err->msg);
  assert_int_equal (c->linux_->n_namespaces, 6);
  assert_int_equal (c->linux_->namespaces[4].type, OCI_NS_CGROUP);
  assert_int_equal (c->linux_->namespaces[5].type, OCI_NS_USER);
  oci_config_free (c);
  free (json);

  json = oci_default_spec_json (true, false, 1234, 5678, &len);
  c = oci_config_parse (json, len, "config.json", &err);
  if (c == NULL)
    fail_msg ("%s", err->msg);
  assert_int_equal (c->n_mounts, 6);
  assert_int_equal (c->mounts[2].n_options, 5); /* devpts without gid=5 */
  assert_string_equal (c->mounts[5].destination, "/sys");
  assert_string_equal (c->mounts[5].type, "none");
  assert_string_equal (c->mounts[5].source, "/sys");
  assert_string_equal (c->mounts[5].options[0], "rbind");
  assert_null (oci_config_namespace (c, OCI_NS_NETWORK));
  assert_null (oci_config_namespace (c, OCI_NS_CGROUP));
  assert_non_null (oci_config_namespace (c, OCI_NS_USER));
  assert_int_equal (c->linux_->n_uid_mappings, 1);
  assert_int_equal (c->linux_->uid_mappings[0].container_id, 0);
  assert_int_equal (c->linux_->uid_mappings[0].host_id, 1234);
  assert_int_equal (c->linux_->uid_mappings[0].size, 1);
  assert_int_equal (c->linux_->gid_mappings[0].host_id, 5678);
  assert_null (c->linux_->resources);
  oci_config_free (c);
  free (json);
}

int
main (int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_full_config),
    cmocka_unit_test (test_minimal_and_null),
    cmocka_unit_test (test_versions),
    cmocka_unit_test (test_error_messages),
    cmocka_unit_test (test_numbers),
    cmocka_unit_test (test_invalid_json),
    cmocka_unit_test (test_nesting),
    cmocka_unit_test (test_too_large),
    cmocka_unit_test (test_huge_arrays),
    cmocka_unit_test (test_truncations),
    cmocka_unit_test (test_byte_mutations),
    cmocka_unit_test (test_structural_fuzz),
    cmocka_unit_test (test_parse_file),
    cmocka_unit_test (test_names),
    cmocka_unit_test (test_propagations),
    cmocka_unit_test (test_default_spec),
  };
  /* ./test-config [glob]: run only the matching tests.  */
  if (argc > 1)
    cmocka_set_test_filter (argv[1]);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
