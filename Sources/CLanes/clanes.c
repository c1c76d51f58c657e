// CLanes is a header of inline functions (include/clanes.h); SwiftPM needs one source file.
#include "clanes.h"
