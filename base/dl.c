/* berth: dlopen a library and resolve a table of its functions.  */
#include "base/dl.h"

#include <dlfcn.h>
#include <errno.h>

int
dl_load (const char *soname, const char *package, const char *const *names,
         void **slots, size_t n, int *loaded, berth_error **err)
{
  void *lib;
  size_t i;

  if (*loaded)
    return 0;
  /* The same search the dynamic loader does at start-up for a linked
     library: nothing is opened that linking it would not have opened.  */
  lib = dlopen (soname, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL)
    return berth_error_set (err, ENOENT, "cannot load %s (apt-get install "
                            "%s): %s", soname, package, dlerror ());
  for (i = 0; i < n; i++)
    {
      slots[i] = dlsym (lib, names[i]);
      if (slots[i] == NULL)
        {
          const char *why = dlerror ();
          for (size_t j = 0; j < i; j++)
            slots[j] = NULL;
          dlclose (lib);
          return berth_error_set (err, ENOSYS, "%s has no %s: %s", soname,
                                  names[i], why ? why : "not found");
        }
    }
  *loaded = 1;
  return 0;
}
