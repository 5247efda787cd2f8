/* berth update: change the cgroup limits of a container (runc update).  */
#include <getopt.h>
#include <stdlib.h>

#include "libcontainer/lifecycle/update.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth update [options] ID\n"
      "\n"
      "Change the cgroup limits of a created, running or paused container,\n"
      "or the rate limits of its veth pair.  Only what is given changes; 0\n"
      "or an empty value leaves a cgroup limit as it is.\n"
      "\n"
      "Options:\n"
      "  -r, --resources FILE       a linux.resources JSON object from FILE,\n"
      "                             or from standard input with \"-\"; the\n"
      "                             options below override its values\n"
      "  --memory SIZE              memory limit; -1: unlimited\n"
      "  --memory-reservation SIZE  memory soft limit\n"
      "  --memory-swap SIZE         memory + swap limit; -1: unlimited\n"
      "  --kernel-memory SIZE       ignored (obsolete, as in runc)\n"
      "  --kernel-memory-tcp SIZE   ignored (obsolete, as in runc)\n"
      "  --cpu-period USECS         CFS period\n"
      "  --cpu-quota USECS          CPU time per period; -1: unlimited\n"
      "  --cpu-share N              CPU shares (relative weight)\n"
      "  --cpu-rt-period USECS      realtime period\n"
      "  --cpu-rt-runtime USECS     realtime CPU time per period\n"
      "  --cpuset-cpus LIST         CPUs to run on (\"0-3,7\")\n"
      "  --cpuset-mems LIST         memory nodes to allocate from\n"
      "  --pids-limit N             maximum number of tasks; -1: unlimited\n"
      "  --blkio-weight N           block IO weight (10-1000)\n"
      "  --net-egress-rate RATE     limit what the container sends through\n"
      "                             its veth pair (run.oci.berth.net.veth);\n"
      "                             \"unlimited\" removes the limit\n"
      "  --net-ingress-rate RATE    the same for what it receives\n"
      "  -h, --help                 this help\n"
      "\n"
      "SIZE is a number of bytes with an optional suffix k, m, g, t or p\n"
      "(also kb, KiB...; powers of 1024): 64m is 67108864.\n"
      "RATE is a number with a tc(8) unit: bit, kbit, mbit, gbit (powers of\n"
      "1000), kibit, mibit..., or bps, kbps, mbps... for bytes: 1mbit,\n"
      "500kbit, 2.5mbps.\n"
      "\n"
      "From the JSON, the fields runc updates are used: memory.limit,\n"
      "reservation, swap, checkBeforeUpdate; cpu.shares, quota, burst,\n"
      "period, realtimeRuntime, realtimePeriod, cpus, mems, idle;\n"
      "pids.limit; unified; and, unlike runc, all of blockIO (weights\n"
      "and throttle limits).  The others (devices, hugepageLimits, ...)\n"
      "are ignored.\n";

/* getopt values of the flags: past the short options.  */
#define FLAG(f) (256 + (f))

static const struct option opts[] = {
  { "resources", required_argument, NULL, 'r' },
  { "memory", required_argument, NULL, FLAG (UPDATE_MEMORY) },
  { "memory-reservation", required_argument, NULL,
    FLAG (UPDATE_MEMORY_RESERVATION) },
  { "memory-swap", required_argument, NULL, FLAG (UPDATE_MEMORY_SWAP) },
  { "kernel-memory", required_argument, NULL, FLAG (UPDATE_KERNEL_MEMORY) },
  { "kernel-memory-tcp", required_argument, NULL,
    FLAG (UPDATE_KERNEL_MEMORY_TCP) },
  { "cpu-period", required_argument, NULL, FLAG (UPDATE_CPU_PERIOD) },
  { "cpu-quota", required_argument, NULL, FLAG (UPDATE_CPU_QUOTA) },
  { "cpu-share", required_argument, NULL, FLAG (UPDATE_CPU_SHARE) },
  { "cpu-rt-period", required_argument, NULL, FLAG (UPDATE_CPU_RT_PERIOD) },
  { "cpu-rt-runtime", required_argument, NULL, FLAG (UPDATE_CPU_RT_RUNTIME) },
  { "cpuset-cpus", required_argument, NULL, FLAG (UPDATE_CPUSET_CPUS) },
  { "cpuset-mems", required_argument, NULL, FLAG (UPDATE_CPUSET_MEMS) },
  { "pids-limit", required_argument, NULL, FLAG (UPDATE_PIDS_LIMIT) },
  { "blkio-weight", required_argument, NULL, FLAG (UPDATE_BLKIO_WEIGHT) },
  { "net-egress-rate", required_argument, NULL,
    FLAG (UPDATE_NET_EGRESS_RATE) },
  { "net-ingress-rate", required_argument, NULL,
    FLAG (UPDATE_NET_INGRESS_RATE) },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

int
cmd_update (global_opts *g, int argc, char **argv, berth_error **err)
{
  container_update_request req = { 0 };
  const char *id;
  int c;

  while ((c = getopt_long (argc, argv, ":r:h", opts, NULL)) != -1)
    {
      if (c == 'h')
        return print_help (help);
      if (c == ':')
        return usage_error (err, "update", "option \"%s\" needs a value",
                            argv[optind - 1]);
      if (c == 'r')
        req.resources_path = optarg;
      else if (c >= FLAG (0) && c < FLAG (UPDATE_FLAGS))
        req.flags[c - FLAG (0)] = optarg;
      else
        return usage_error (err, "update", "unknown option \"%s\"",
                            argv[optind - 1]);
    }
  if (one_id_argument ("update", argc, argv, optind, &id, err) < 0)
    return -1;
  return container_update_request_apply (g->root, id, &req, err);
}
