#ifndef ROUTEPLANNER_CGLPK_SHIM_H
#define ROUTEPLANNER_CGLPK_SHIM_H
// The system GLPK (Debian: libglpk-dev). Debian ships no glpk.pc, so the module map links it.
#include <glpk.h>
#endif
