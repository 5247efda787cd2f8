/* berth: linux.memoryPolicy through set_mempolicy(2).  glibc has no
   wrapper (libnuma's numaif.h is not a dependency): the raw syscall.  */
#include "libcontainer/process/mempolicy.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mempolicy.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/utils.h"

/* Linux 6.9; older uapi headers lack it.  */
#ifndef MPOL_WEIGHTED_INTERLEAVE
#define MPOL_WEIGHTED_INTERLEAVE 6
#endif

static const struct
{
  const char *name;
  int mode;
  int nodes; /* 0: none allowed, 1: at least one, -1: either */
} modes[] = {
  { "MPOL_DEFAULT", MPOL_DEFAULT, 0 },
  { "MPOL_BIND", MPOL_BIND, 1 },
  { "MPOL_INTERLEAVE", MPOL_INTERLEAVE, 1 },
  { "MPOL_WEIGHTED_INTERLEAVE", MPOL_WEIGHTED_INTERLEAVE, 1 },
  /* Empty: "local allocation" (set_mempolicy(2)).  */
  { "MPOL_PREFERRED", MPOL_PREFERRED, -1 },
  { "MPOL_PREFERRED_MANY", MPOL_PREFERRED_MANY, 1 },
  { "MPOL_LOCAL", MPOL_LOCAL, 0 },
};

static const struct
{
  const char *name;
  int flag;
} flags[] = {
  { "MPOL_F_STATIC_NODES", MPOL_F_STATIC_NODES },
  { "MPOL_F_RELATIVE_NODES", MPOL_F_RELATIVE_NODES },
  { "MPOL_F_NUMA_BALANCING", MPOL_F_NUMA_BALANCING },
};

/* One decimal node number at *s, advancing *s.  */
static int
parse_node (const char **s, unsigned long *out)
{
  char *end;

  if (**s < '0' || **s > '9')
    return -1;
  errno = 0;
  *out = strtoul (*s, &end, 10);
  if (errno != 0)
    return -1;
  *s = end;
  return 0;
}

/* The mask holds at least n longs, the new ones zero.  */
static void
mask_grow (mempolicy *m, size_t n)
{
  if (n <= m->n_longs)
    return;
  m->mask = xrealloc (m->mask, n * sizeof *m->mask);
  memset (m->mask + m->n_longs, 0, (n - m->n_longs) * sizeof *m->mask);
  m->n_longs = n;
}

static int
parse_nodes (const char *list, mempolicy *out, berth_error **err)
{
  const char *s = list;

  /* "0-3,7": ranges and single nodes, comma-separated, no blanks.  */
  while (*s)
    {
      unsigned long lo, hi;

      if (parse_node (&s, &lo) < 0)
        goto bad;
      hi = lo;
      if (*s == '-')
        {
          s++;
          if (parse_node (&s, &hi) < 0 || hi < lo)
            goto bad;
        }
      if (*s == ',')
        {
          s++;
          if (*s == '\0')
            goto bad;
        }
      else if (*s != '\0')
        goto bad;
      if (hi >= MEMPOLICY_MAX_NODES)
        return berth_error_set (err, 0, "linux.memoryPolicy.nodes: node "
                                "%lu is past the largest node number "
                                "berth takes (%d)",
                                hi, MEMPOLICY_MAX_NODES - 1);
      mask_grow (out, hi / MEMPOLICY_LONG_BITS + 1);
      for (unsigned long n = lo; n <= hi; n++)
        out->mask[n / MEMPOLICY_LONG_BITS] |= 1UL << (n % MEMPOLICY_LONG_BITS);
      out->has_nodes = true;
    }
  return 0;
bad:
  return berth_error_set (err, 0, "linux.memoryPolicy.nodes: \"%s\" is not "
                          "a node list (such as \"0-3,7\")", list);
}

int
mempolicy_parse (const oci_memory_policy *p, mempolicy *out,
                 berth_error **err)
{
  size_t i;
  int nodes_rule = 0, f = 0;

  memset (out, 0, sizeof *out);
  for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
    if (p->mode && strcmp (p->mode, modes[i].name) == 0)
      break;
  if (i == sizeof modes / sizeof modes[0])
    return berth_error_set (err, 0, "linux.memoryPolicy.mode: unknown mode "
                            "\"%s\"", p->mode ? p->mode : "");
  out->mode = modes[i].mode;
  nodes_rule = modes[i].nodes;

  for (size_t j = 0; j < p->n_flags; j++)
    {
      size_t k;
      for (k = 0; k < sizeof flags / sizeof flags[0]; k++)
        if (strcmp (p->flags[j], flags[k].name) == 0)
          break;
      if (k == sizeof flags / sizeof flags[0])
        return berth_error_set (err, 0, "linux.memoryPolicy.flags[%zu]: "
                                "unknown flag \"%s\"", j, p->flags[j]);
      f |= flags[k].flag;
    }
  if ((f & MPOL_F_STATIC_NODES) && (f & MPOL_F_RELATIVE_NODES))
    return berth_error_set (err, 0, "linux.memoryPolicy.flags: "
                            "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES "
                            "exclude each other");
  out->mode |= f;

  if (p->nodes && parse_nodes (p->nodes, out, err) < 0)
    return -1;
  if (nodes_rule == 0 && out->has_nodes)
    return berth_error_set (err, 0, "linux.memoryPolicy.nodes: %s takes no "
                            "nodes", p->mode);
  if (nodes_rule == 1 && !out->has_nodes)
    return berth_error_set (err, 0, "linux.memoryPolicy.nodes: %s needs at "
                            "least one node", p->mode);
  return 0;
}

void
mempolicy_free (mempolicy *m)
{
  free (m->mask);
  m->mask = NULL;
  m->n_longs = 0;
}

/* /sys/devices/system/node/online ("0-1"), for an error message: "0"
   on a kernel without NUMA.  A static buffer.  */
static const char *
online_nodes_text (void)
{
  static char buf[256];
  return kernel_file_line ("/sys/devices/system/node/online", buf, sizeof buf);
}

int
mempolicy_apply (const mempolicy *m, berth_error **err)
{
  /* maxnode counts one more than the bits the kernel reads: all of the
     mask, as long as its highest node needs.  The kernel refuses a node
     past its MAX_NUMNODES or not online.  */
  unsigned long maxnode
      = m->has_nodes ? m->n_longs * MEMPOLICY_LONG_BITS + 1 : 0UL;

  if (syscall (SYS_set_mempolicy, m->mode, m->has_nodes ? m->mask : NULL,
               maxnode)
      < 0)
    {
      if (errno == EINVAL && m->has_nodes)
        return berth_error_sys (err, "linux.memoryPolicy: set_mempolicy: "
                                "the kernel refuses these nodes or this "
                                "mode (nodes online: %s)",
                                online_nodes_text ());
      return berth_error_sys (err, "linux.memoryPolicy: set_mempolicy");
    }
  return 0;
}

int
mempolicy_set (const oci_memory_policy *p, berth_error **err)
{
  mempolicy m = { 0 };
  int r;

  if (p == NULL)
    return 0;
  r = mempolicy_parse (p, &m, err) < 0 || mempolicy_apply (&m, err) < 0
          ? -1
          : 0;
  mempolicy_free (&m);
  return r;
}
