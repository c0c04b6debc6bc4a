// The supervisor is C, but SwiftPM links every executable through swiftc, which
// adds swiftrt.o: its constructor registers the image's Swift metadata by
// calling swift_addNewDSOImage, and that one reference pulls the whole static
// Swift runtime into this binary (5 MB of text, 1.9 MB of it touched at start).
// This program has no Swift metadata to register, so these two definitions
// satisfy swiftrt.o here and the archive members that define them are never
// linked: the supervisor stays a plain static C program (about 0.3 MB resident).

void swift_addNewDSOImage(const void *header) { (void)header; }

int _swift_backtrace_isThunkFunction(const char *name) { (void)name; return 0; }
