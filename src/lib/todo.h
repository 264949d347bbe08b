/* todo.h - a solution region that is not written yet.
 *
 * In the handout (make handout) the body of every solution region is
 * replaced by a stub that calls TODO_REGION("name") and then returns a
 * neutral value (zeros, say), so that the kit still compiles.  The call
 * tells the student, on stderr and once per region per process, which
 * region is missing and where it is:
 *
 *     TODO: region ch01_gradient (src/ch01_critical_points.c:23) is not written yet
 *
 * What happens next depends on who runs the code.  A chapter's program
 * cannot produce meaningful results from a stub, so it stops with exit
 * status EXIT_TODO; `make` then marks that chapter as not run and goes on
 * with the others.  A test suite calls todo_keep_going() first: the stub
 * returns its neutral value and the tests that check the region fail with
 * their own messages.
 */
#ifndef KIT_TODO_H
#define KIT_TODO_H

/* Exit status of a program that reached a region not written yet. */
enum { EXIT_TODO = 3 };

/* Report the region (name, file:line) once; then exit with EXIT_TODO,
 * unless todo_keep_going() was called. */
void todo_region(const char *name, const char *file, int line);

/* The stub's one call: the region's name and where the stub is. */
#define TODO_REGION(name) todo_region((name), __FILE__, __LINE__)

/* Return from stubs instead of exiting (the test suites call this). */
void todo_keep_going(void);

#endif
