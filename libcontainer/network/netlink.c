#include "libcontainer/network/netlink.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "libcontainer/network/mnl-api.h"

struct nl_sock
{
  struct mnl_socket *nl;
  unsigned int portid;
  uint32_t seq;
};

/* Dumps of addresses come in messages of up to 32 KiB.  */
#define NL_RECV_SIZE 32768

/* Returns to the caller's namespace.  Failing here would leave berth
   acting in a container's namespace (creating links there, deleting the
   wrong ones): there is no safe way to go on.  */
static void
netns_return (int self_fd)
{
  if (setns (self_fd, CLONE_NEWNET) < 0)
    {
      fprintf (stderr, "berth: cannot return to its network namespace: %s\n",
               strerror (errno));
      abort ();
    }
}

nl_sock *
nl_open (int netns_fd, berth_error **err)
{
  cleanup_close int self = -1;
  struct mnl_socket *nl;
  nl_sock *s;
  int one = 1, saved;

  if (mnl_api_load (err) < 0)
    return NULL;
  if (netns_fd >= 0)
    {
      self = open ("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
      if (self < 0)
        {
          berth_error_sys (err, "netlink: open /proc/thread-self/ns/net");
          return NULL;
        }
      if (setns (netns_fd, CLONE_NEWNET) < 0)
        {
          berth_error_sys (err, "netlink: enter network namespace");
          return NULL;
        }
    }
  nl = mnl_socket_open2 (NETLINK_ROUTE, SOCK_CLOEXEC);
  saved = errno;
  if (self >= 0)
    netns_return (self);
  if (nl == NULL)
    {
      berth_error_set (err, saved, "netlink: socket");
      return NULL;
    }
  if (mnl_socket_bind (nl, 0, MNL_SOCKET_AUTOPID) < 0)
    {
      berth_error_sys (err, "netlink: bind");
      mnl_socket_close (nl);
      return NULL;
    }
  /* The kernel's explanation of an error (extended ACK), and ACKs that
     do not echo the whole request.  Older kernels: plain errno.  */
  mnl_socket_setsockopt (nl, NETLINK_EXT_ACK, &one, sizeof one);
  mnl_socket_setsockopt (nl, NETLINK_CAP_ACK, &one, sizeof one);
  s = xmalloc0 (sizeof *s);
  s->nl = nl;
  s->portid = mnl_socket_get_portid (nl);
  s->seq = (uint32_t) time (NULL);
  return s;
}

void
nl_close (nl_sock *s)
{
  if (s == NULL)
    return;
  mnl_socket_close (s->nl);
  free (s);
}

struct nlmsghdr *
nl_msg (char *buf, uint16_t type, uint16_t flags)
{
  struct nlmsghdr *nlh;

  memset (buf, 0, NL_REQUEST_SIZE);
  nlh = mnl_nlmsg_put_header (buf);
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = flags;
  return nlh;
}

static int
extack_attr (const struct nlattr *attr, void *data)
{
  const char **msg = data;

  if (mnl_attr_get_type (attr) == NLMSGERR_ATTR_MSG
      && mnl_attr_validate (attr, MNL_TYPE_NUL_STRING) >= 0)
    *msg = mnl_attr_get_str (attr);
  return MNL_CB_OK;
}

static int
kernel_error (const struct nlmsghdr *nlh, int errnum, const char *what,
              berth_error **err)
{
  const struct nlmsgerr *e = mnl_nlmsg_get_payload (nlh);
  const char *msg = NULL;

  if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
    {
      unsigned int off = sizeof *e;
      if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
        off += e->msg.nlmsg_len - sizeof (struct nlmsghdr);
      if (off < nlh->nlmsg_len - sizeof (struct nlmsghdr))
        mnl_attr_parse (nlh, off, extack_attr, &msg);
    }
  if (msg && *msg)
    {
      berth_error_set (err, 0, "netlink: %s: %s (%s)", what,
                       strerror (errnum), msg);
      (*err)->errnum = errnum;
      return -1;
    }
  return berth_error_set (err, errnum, "netlink: %s", what);
}

int
nl_call (nl_sock *s, struct nlmsghdr *nlh, const char *what,
         int (*cb) (const struct nlmsghdr *, void *, berth_error **),
         void *data, berth_error **err)
{
  cleanup_free char *buf = xmalloc0 (NL_RECV_SIZE);
  uint32_t seq = ++s->seq;

  nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  nlh->nlmsg_seq = seq;
  if (mnl_socket_sendto (s->nl, nlh, nlh->nlmsg_len) < 0)
    return berth_error_sys (err, "netlink: %s: send", what);
  for (;;)
    {
      ssize_t r = mnl_socket_recvfrom (s->nl, buf, NL_RECV_SIZE);
      const struct nlmsghdr *m;
      int len;

      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          return berth_error_sys (err, "netlink: %s: receive", what);
        }
      len = (int) r;
      for (m = (const struct nlmsghdr *) buf; mnl_nlmsg_ok (m, len);
           m = mnl_nlmsg_next (m, &len))
        {
          if (m->nlmsg_seq != seq || m->nlmsg_pid != s->portid)
            continue;
          if (m->nlmsg_type == NLMSG_ERROR)
            {
              const struct nlmsgerr *e = mnl_nlmsg_get_payload (m);
              if (m->nlmsg_len < mnl_nlmsg_size (sizeof *e))
                return berth_error_set (err, EBADMSG, "netlink: %s", what);
              if (e->error == 0)
                return 0;
              return kernel_error (m, -e->error, what, err);
            }
          if (m->nlmsg_type == NLMSG_DONE)
            {
              /* A dump that failed half way carries its error here.  */
              if (m->nlmsg_len >= mnl_nlmsg_size (sizeof (int)))
                {
                  int code = *(const int *) mnl_nlmsg_get_payload (m);
                  if (code < 0)
                    return berth_error_set (err, -code, "netlink: %s", what);
                }
              return 0;
            }
          if (m->nlmsg_type == NLMSG_NOOP || m->nlmsg_type == NLMSG_OVERRUN)
            continue;
          if (cb && cb (m, data, err) < 0)
            return -1;
        }
    }
}
