/* team.h - a team of threads that share out the pieces of one task.
 *
 * team_run(team, task, arg, n) runs task(arg, 0) .. task(arg, n - 1), the
 * caller and the helpers each taking the next piece not yet taken, and
 * returns when every piece is done.  The pieces must not depend on each
 * other.  A helper that the system has not scheduled simply takes fewer
 * pieces, and the caller takes the rest: on a busy machine a team is
 * never much slower than its caller alone.
 *
 * The fast engine uses it to share a mini-batch step among cores
 * (fast32.h).  A helper waiting for the next task watches for it
 * a short while (a fifth of a millisecond: longer than the gap between two
 * steps), then sleeps, so an idle team costs no processor time. */
#ifndef KIT_TEAM_H
#define KIT_TEAM_H

typedef void (*TeamTask)(void *arg, int piece);

typedef struct Team Team;

/* A team of size threads, the caller included (size 1: no helpers).
 * NULL, with a message, when the threads cannot be started. */
Team *team_create(int size);
void team_free(Team *team);
int team_size(const Team *team);

/* Run task(arg, piece) for piece = 0..pieces-1 on the team; return when
 * all are done. */
void team_run(Team *team, TeamTask task, void *arg, int pieces);

#endif
