#ifndef CGLPK_GUARD_H
#define CGLPK_GUARD_H

/*
 * A guarded entry point into GLPK.
 *
 * GLPK reports internal errors (bad indices, inconsistent data, out of memory)
 * by calling its error hook and then abort()ing. The only documented escape is
 * a longjmp out of the hook, which Swift frames cannot host. This C target owns
 * the setjmp: it builds, solves, reads and frees a whole problem in one call, so
 * an error unwinds only C frames and comes back as an error code and message.
 * The callback never throws or unwinds across C either: it only records values
 * and asks GLPK to terminate.
 */

#ifdef __cplusplus
extern "C" {
#endif

/// Column kinds.
enum { SCHED_COL_CONTINUOUS = 0, SCHED_COL_BINARY = 1, SCHED_COL_INTEGER = 2 };

/// Result codes of sched_glpk_solve.
enum {
    SCHED_OK = 0,                /* the search finished (see mip_status) */
    SCHED_TIME_LIMIT = 1,        /* stopped by the time limit */
    SCHED_GAP_LIMIT = 2,         /* stopped by the relative gap tolerance */
    SCHED_INTERRUPTED = 3,       /* stopped by the interrupt flag */
    SCHED_NO_PRIMAL = 4,         /* LP relaxation has no primal feasible solution */
    SCHED_SOLVER_FAILURE = 5,    /* glp_intopt returned another failure code */
    SCHED_GLPK_ERROR = 6,        /* GLPK raised an internal error (caught) */
    SCHED_BAD_INPUT = 7,         /* the problem description is inconsistent */
    SCHED_EXPORT_FAILED = 8      /* writing the model file failed */
};

/// Mip status of the solution held.
enum { SCHED_SOL_NONE = 0, SCHED_SOL_FEASIBLE = 1, SCHED_SOL_OPTIMAL = 2, SCHED_SOL_INFEASIBLE = 3 };

/// Rows collected from the caller during the search (see `lazy_rows`).
typedef struct sched_glpk_rows sched_glpk_rows;

/// Adds the row `Σ coefficients[k] · x[columns[k]] <= upper` (0-based columns) to `rows`.
/// Only collects: GLPK adds the rows after the caller's callback has returned.
void sched_glpk_rows_add(sched_glpk_rows *rows, int count, const int *columns, const double *coefficients, double upper);

typedef struct {
    int rows;
    int cols;
    const int *col_kind;        /* cols entries */
    const double *col_lower;    /* cols entries */
    const double *col_upper;    /* cols entries; ignored when col_has_upper is 0 */
    const int *col_has_upper;   /* cols entries */
    const double *objective;    /* cols entries */
    double objective_constant;
    const double *row_lower;    /* rows entries */
    const double *row_upper;    /* rows entries */
    const int *row_has_lower;   /* rows entries */
    const int *row_has_upper;   /* rows entries */
    int nonzeros;
    const int *entry_row;       /* 0-based */
    const int *entry_col;       /* 0-based */
    const double *entry_value;

    double time_limit_seconds;  /* <= 0: none */
    double relative_gap;        /* <= 0: prove optimality */
    int verbose;                /* nonzero: GLPK's terminal output goes to stderr */
    const double *start_solution; /* cols entries or NULL: offered as the first incumbent */
    const volatile int *interrupt_flag; /* may be NULL; nonzero asks the search to stop */
    const volatile int *cancel_flag;    /* may be NULL; a second flag with the same effect */
    const char *export_path;    /* NULL or a file name to write the model to */
    int export_format;          /* 0 CPLEX LP, 1 free MPS */
    /* Called from the search at most once per progress_interval seconds; must not unwind. */
    void (*progress)(void *context, double elapsed, int has_incumbent, double incumbent, int has_bound, double bound);
    void *progress_context;
    double progress_interval;
    /* Called from the search with the current node's LP solution (cols entries), first at the
     * root and then at most once per heuristic_interval seconds; writes an integer solution
     * into `solution` (cols entries) and returns nonzero to offer it. Must not unwind. */
    int (*heuristic)(void *context, const double *lp_values, double *solution);
    void *heuristic_context;
    double heuristic_interval;
    int depth_first;            /* nonzero: depth-first search, branching on the most fractional column */
    int most_fractional;        /* nonzero: branch on the most fractional column, keep best-bound search */
    int gomory_cuts;            /* nonzero: Gomory's mixed-integer cuts at the root, beside MIR, cover and clique cuts */
    /* Called each time a node's LP is solved (GLPK's GLP_IROWGEN) with its solution (cols
     * entries); adds to `rows` the rows that solution breaks, valid for every solution of
     * the problem (lazy constraints). GLPK's rounding heuristic is off then, as its
     * solutions would not be checked. Must not unwind. */
    void (*lazy_rows)(void *context, const double *lp_values, sched_glpk_rows *rows);
    void *lazy_rows_context;
    /* Nonzero: GLPK's MIP presolver runs inside glp_intopt. Its search then works on the
     * presolved problem, in which the caller's columns do not exist: start_solution,
     * heuristic and lazy_rows must be NULL (the call fails otherwise), and the LP
     * relaxation is solved inside glp_intopt, where no stop flag is seen. */
    int presolve;
    /* Seconds between stop-flag checks while the LP relaxation is solved (it is solved in
     * chunks of iterations); <= 0: in one run, which no flag interrupts (a search on a
     * thread of its own that the caller may leave behind). Each chunk restarts GLPK's
     * pricing, which costs iterations: at 200 visits 0.25 s chunks took 34,000 iterations
     * where one run takes about 8,000. */
    double lp_check_seconds;
} sched_glpk_problem;

typedef struct {
    int code;
    int mip_status;
    double objective;
    double bound;
    int has_bound;
    double seconds;
    double *col_values;         /* caller-allocated, cols entries */
    char message[512];
} sched_glpk_result;

/// Builds, solves and frees the problem. Never aborts the process.
int sched_glpk_solve(const sched_glpk_problem *problem, sched_glpk_result *result);

/// GLPK's version string, e.g. "5.0".
const char *sched_glpk_version(void);

/* Nonzero when GLPK was built with thread-local storage (glp_config("TLS")),
 * so that two threads may each run a solve at once. */
int sched_glpk_thread_safe(void);

/* A stop flag shared between threads (and a signal handler): an atomic store and
 * load, so the thread that solves sees a raise from another without a data race. */
void sched_flag_raise(volatile int *flag);
int sched_flag_is_raised(const volatile int *flag);

/// Frees GLPK's environment of the calling thread (GLPK keeps one per thread);
/// for a thread that has solved and is about to end.
void sched_glpk_release_thread(void);

#ifdef __cplusplus
}
#endif

#endif
