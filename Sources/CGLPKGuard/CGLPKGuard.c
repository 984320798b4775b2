#include "CGLPKGuard.h"

#include <glpk.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Per-thread state of one guarded call. GLPK's own environment is
 * thread-local, so one solve per thread at a time is safe. */
typedef struct {
    jmp_buf jump;
    int verbose;
    char previous_output[512]; /* GLPK prints its error text, then "Error detected in file ..." */
    char last_output[512];
} guard_state;

/* Hooks point at a stack frame of sched_glpk_solve: take them down before it returns. */
static void release_hooks(void) {
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int term_hook(void *info, const char *text) {
    guard_state *guard = (guard_state *)info;
    if (guard != NULL && text != NULL && text[0] != '\0' && strcmp(text, "\n") != 0) {
        /* keep the last two non-empty lines: the error text and where GLPK detected it */
        memcpy(guard->previous_output, guard->last_output, sizeof(guard->previous_output));
        strncpy(guard->last_output, text, sizeof(guard->last_output) - 1);
        guard->last_output[sizeof(guard->last_output) - 1] = '\0';
        size_t n = strlen(guard->last_output);
        while (n > 0 && (guard->last_output[n - 1] == '\n' || guard->last_output[n - 1] == '\r')) {
            guard->last_output[--n] = '\0';
        }
    }
    if (guard != NULL && guard->verbose) {
        fputs(text, stderr);
    }
    return 1; /* we handled it; GLPK prints nothing itself */
}

static void error_hook(void *info) {
    guard_state *guard = (guard_state *)info;
    /* Unwind to sched_glpk_solve; GLPK's environment is freed there. */
    longjmp(guard->jump, 1);
}

typedef struct {
    const sched_glpk_problem *problem;
    sched_glpk_result *result;
    double deadline;          /* monotonic seconds; 0 = none */
    double started;
    double last_progress;
    int offered_start;
    int heuristic_called;
    double last_heuristic;
} callback_state;

/* The current node's LP solution, 0-based (cols entries); NULL when out of memory. */
static double *node_lp_values(glp_tree *tree, int cols) {
    glp_prob *mip = glp_ios_get_prob(tree);
    double *lp = (double *)malloc(sizeof(double) * (size_t)(cols > 0 ? cols : 1));
    if (lp == NULL) return NULL;
    for (int j = 1; j <= cols; j++) lp[j - 1] = glp_get_col_prim(mip, j);
    return lp;
}

struct sched_glpk_rows {
    int count;          /* rows */
    int nonzeros;
    int row_capacity;
    int nz_capacity;
    int failed;         /* an allocation failed: the rows are dropped */
    int *starts;        /* row r's terms are [starts[r], starts[r] + lengths[r]) */
    int *lengths;
    double *uppers;
    int *columns;       /* 1-based column numbers, stored from index 1 (GLPK reads ind[1..len]) */
    double *values;     /* likewise from index 1 */
};

void sched_glpk_rows_add(sched_glpk_rows *rows, int count, const int *columns, const double *coefficients, double upper) {
    if (rows == NULL || rows->failed || count <= 0) return;
    if (rows->count == rows->row_capacity) {
        int capacity = rows->row_capacity ? 2 * rows->row_capacity : 8;
        int *starts = (int *)realloc(rows->starts, sizeof(int) * (size_t)capacity);
        if (starts != NULL) rows->starts = starts;
        int *lengths = (int *)realloc(rows->lengths, sizeof(int) * (size_t)capacity);
        if (lengths != NULL) rows->lengths = lengths;
        double *uppers = (double *)realloc(rows->uppers, sizeof(double) * (size_t)capacity);
        if (uppers != NULL) rows->uppers = uppers;
        if (starts == NULL || lengths == NULL || uppers == NULL) { rows->failed = 1; return; }
        rows->row_capacity = capacity;
    }
    if (rows->nonzeros + count > rows->nz_capacity) {
        int capacity = rows->nz_capacity ? 2 * rows->nz_capacity : 64;
        while (capacity < rows->nonzeros + count) capacity *= 2;
        int *cols = (int *)realloc(rows->columns, sizeof(int) * (size_t)(capacity + 1));
        if (cols != NULL) rows->columns = cols;
        double *values = (double *)realloc(rows->values, sizeof(double) * (size_t)(capacity + 1));
        if (values != NULL) rows->values = values;
        if (cols == NULL || values == NULL) { rows->failed = 1; return; }
        rows->nz_capacity = capacity;
    }
    rows->starts[rows->count] = rows->nonzeros;
    rows->lengths[rows->count] = count;
    rows->uppers[rows->count] = upper;
    for (int k = 0; k < count; k++) {
        rows->columns[1 + rows->nonzeros + k] = columns[k] + 1;
        rows->values[1 + rows->nonzeros + k] = coefficients[k];
    }
    rows->nonzeros += count;
    rows->count++;
}

static void free_rows(sched_glpk_rows *rows) {
    free(rows->starts);
    free(rows->lengths);
    free(rows->uppers);
    free(rows->columns);
    free(rows->values);
}

/* Asks the caller for rows the node's LP solution breaks and adds them to the problem. */
static void add_lazy_rows(glp_tree *tree, callback_state *state) {
    glp_prob *mip = glp_ios_get_prob(tree);
    double *lp = node_lp_values(tree, state->problem->cols);
    if (lp == NULL) return;
    sched_glpk_rows rows;
    memset(&rows, 0, sizeof(rows));
    state->problem->lazy_rows(state->problem->lazy_rows_context, lp, &rows);
    free(lp);
    if (!rows.failed) {
        for (int r = 0; r < rows.count; r++) {
            /* glp_set_mat_row reads ind[1..len] and val[1..len]: row r's terms start at index 1 + start */
            int start = rows.starts[r];
            int i = glp_add_rows(mip, 1);
            glp_set_mat_row(mip, i, rows.lengths[r], rows.columns + start, rows.values + start);
            glp_set_row_bnds(mip, i, GLP_UP, 0.0, rows.uppers[r]);
        }
    }
    free_rows(&rows);
}

void sched_flag_raise(volatile int *flag) {
    __atomic_store_n(flag, 1, __ATOMIC_RELEASE);
}

int sched_flag_is_raised(const volatile int *flag) {
    return __atomic_load_n(flag, __ATOMIC_ACQUIRE) != 0;
}

/* Whether the caller raised either of its stop flags. */
static int stop_requested(const sched_glpk_problem *problem) {
    return (problem->interrupt_flag != NULL && sched_flag_is_raised(problem->interrupt_flag))
        || (problem->cancel_flag != NULL && sched_flag_is_raised(problem->cancel_flag));
}

/* Asks the caller's heuristic for a plan built from the node's LP solution. */
static void offer_heuristic(glp_tree *tree, callback_state *state) {
    int cols = state->problem->cols;
    double *lp = node_lp_values(tree, cols);
    double *x = (double *)malloc(sizeof(double) * (size_t)(cols + 1));
    if (lp != NULL && x != NULL) {
        x[0] = 0.0;
        if (state->problem->heuristic(state->problem->heuristic_context, lp, x + 1) != 0) {
            glp_ios_heur_sol(tree, x);
        }
    }
    free(lp);
    free(x);
}

static void search_callback(glp_tree *tree, void *info) {
    callback_state *state = (callback_state *)info;
    int reason = glp_ios_reason(tree);
    int best = glp_ios_best_node(tree);
    if (best != 0) {
        double bound = glp_ios_node_bound(tree, best);
        /* a node whose LP is not solved yet has bound -DBL_MAX: no information */
        if (bound > -1e300 && bound < 1e300 && (!state->result->has_bound || bound > state->result->bound)) {
            state->result->bound = bound;
            state->result->has_bound = 1;
        }
    }
    if (reason == GLP_IHEUR && !state->offered_start && state->problem->start_solution != NULL) {
        state->offered_start = 1;
        /* glp_ios_heur_sol expects a 1-based array */
        int cols = state->problem->cols;
        double *x = (double *)malloc(sizeof(double) * (size_t)(cols + 1));
        if (x != NULL) {
            x[0] = 0.0;
            memcpy(x + 1, state->problem->start_solution, sizeof(double) * (size_t)cols);
            glp_ios_heur_sol(tree, x);
            free(x);
        }
    }
    if (reason == GLP_IROWGEN && state->problem->lazy_rows != NULL) {
        add_lazy_rows(tree, state);
    }
    if (reason == GLP_IHEUR && state->problem->heuristic != NULL) {
        double now = now_seconds();
        if (!state->heuristic_called || now - state->last_heuristic >= state->problem->heuristic_interval) {
            state->heuristic_called = 1;
            offer_heuristic(tree, state);
            state->last_heuristic = now_seconds();
        }
    }
    if (state->problem->progress != NULL) {
        double now = now_seconds();
        if (now - state->last_progress >= state->problem->progress_interval) {
            state->last_progress = now;
            glp_prob *mip = glp_ios_get_prob(tree);
            int status = glp_mip_status(mip);
            int has_incumbent = status == GLP_FEAS || status == GLP_OPT;
            state->problem->progress(state->problem->progress_context, now - state->started, has_incumbent,
                                     has_incumbent ? glp_mip_obj_val(mip) : 0.0,
                                     state->result->has_bound, state->result->bound);
        }
    }
    if (stop_requested(state->problem)) {
        glp_ios_terminate(tree);
        return;
    }
    if (state->deadline > 0 && now_seconds() >= state->deadline) {
        glp_ios_terminate(tree);
    }
}

/* The LP relaxation in chunks of iterations, so that a stop flag is seen within
 * about a quarter of a second: glp_simplex itself has no callback, and at 200
 * visits the root LP ran 20 s past a Ctrl-C. Each call goes on from the basis the
 * last one left; the chunk grows or shrinks with the measured time per iteration.
 * Returns glp_simplex's code, or GLP_ESTOP when a flag was raised. */
static int interruptible_simplex(glp_prob *lp, glp_smcp *sm, const sched_glpk_problem *problem, double started) {
    if (problem->lp_check_seconds <= 0) {
        if (problem->time_limit_seconds > 0) {
            double remaining = (problem->time_limit_seconds - (now_seconds() - started)) * 1000.0;
            if (remaining < 1.0) return GLP_ETMLIM;
            sm->tm_lim = remaining > 2.0e9 ? 2000000000 : (int)remaining;
        }
        return glp_simplex(lp, sm);
    }
    int chunk = 100;
    for (;;) {
        if (stop_requested(problem)) return GLP_ESTOP;
        if (problem->time_limit_seconds > 0) {
            double remaining = (problem->time_limit_seconds - (now_seconds() - started)) * 1000.0;
            if (remaining < 1.0) return GLP_ETMLIM;
            sm->tm_lim = remaining > 2.0e9 ? 2000000000 : (int)remaining;
        }
        sm->it_lim = chunk;
        int before = glp_get_it_cnt(lp);
        double t0 = now_seconds();
        int ret = glp_simplex(lp, sm);
        if (ret != GLP_EITLIM) return ret;
        double spent = now_seconds() - t0;
        int done = glp_get_it_cnt(lp) - before;
        if (done > 0 && spent > 0) {
            double wanted = problem->lp_check_seconds * (double)done / spent;
            chunk = wanted < 50 ? 50 : wanted > 20000 ? 20000 : (int)wanted;
        }
    }
}

static int validate(const sched_glpk_problem *p, sched_glpk_result *r) {
    if (p->rows < 0 || p->cols < 0 || p->nonzeros < 0) {
        snprintf(r->message, sizeof(r->message), "negative problem dimensions");
        return 0;
    }
    for (int k = 0; k < p->nonzeros; k++) {
        if (p->entry_row[k] < 0 || p->entry_row[k] >= p->rows || p->entry_col[k] < 0 || p->entry_col[k] >= p->cols) {
            snprintf(r->message, sizeof(r->message), "matrix entry %d refers to row %d, column %d outside %d x %d",
                     k, p->entry_row[k], p->entry_col[k], p->rows, p->cols);
            return 0;
        }
    }
    if (p->presolve && (p->start_solution != NULL || p->heuristic != NULL || p->lazy_rows != NULL)) {
        snprintf(r->message, sizeof(r->message),
                 "the presolved search has no start solution, heuristic or lazy rows: its columns are not the caller's");
        return 0;
    }
    return 1;
}

int sched_glpk_solve(const sched_glpk_problem *problem, sched_glpk_result *result) {
    double started = now_seconds();
    result->code = SCHED_OK;
    result->mip_status = SCHED_SOL_NONE;
    result->objective = 0.0;
    result->bound = 0.0;
    result->has_bound = 0;
    result->seconds = 0.0;
    result->message[0] = '\0';
    if (!validate(problem, result)) {
        result->code = SCHED_BAD_INPUT;
        return result->code;
    }

    guard_state guard;
    memset(&guard, 0, sizeof(guard));
    guard.verbose = problem->verbose;

    /* everything the error path must release lives in volatile locals */
    glp_prob *volatile lp = NULL;
    int *volatile ia = NULL;
    int *volatile ja = NULL;
    double *volatile ar = NULL;

    glp_term_hook(term_hook, &guard);
    glp_error_hook(error_hook, &guard);

    if (setjmp(guard.jump) != 0) {
        /* GLPK hit an internal error. Its environment is unusable: free it whole. */
        glp_free_env(); /* also drops the hooks */
        free(ia);
        free(ja);
        free(ar);
        result->code = SCHED_GLPK_ERROR;
        result->mip_status = SCHED_SOL_NONE;
        if (guard.previous_output[0] && guard.last_output[0]) {
            snprintf(result->message, sizeof(result->message), "GLPK error: %s (%s)", guard.previous_output, guard.last_output);
        } else {
            snprintf(result->message, sizeof(result->message), "GLPK error: %s",
                     guard.last_output[0] ? guard.last_output : "unknown internal error");
        }
        result->seconds = now_seconds() - started;
        return result->code;
    }

    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    if (problem->rows > 0) glp_add_rows(lp, problem->rows);
    if (problem->cols > 0) glp_add_cols(lp, problem->cols);
    glp_set_obj_coef(lp, 0, problem->objective_constant);

    for (int i = 0; i < problem->rows; i++) {
        int has_lo = problem->row_has_lower[i], has_up = problem->row_has_upper[i];
        double lo = problem->row_lower[i], up = problem->row_upper[i];
        int type = GLP_FR;
        if (has_lo && has_up) type = (lo == up) ? GLP_FX : GLP_DB;
        else if (has_lo) type = GLP_LO;
        else if (has_up) type = GLP_UP;
        glp_set_row_bnds(lp, i + 1, type, lo, up);
    }
    for (int j = 0; j < problem->cols; j++) {
        int kind = problem->col_kind[j];
        double lo = problem->col_lower[j], up = problem->col_upper[j];
        if (kind == SCHED_COL_BINARY) {
            glp_set_col_kind(lp, j + 1, GLP_BV);
        } else {
            if (kind == SCHED_COL_INTEGER) glp_set_col_kind(lp, j + 1, GLP_IV);
            int type = problem->col_has_upper[j] ? ((lo == up) ? GLP_FX : GLP_DB) : GLP_LO;
            glp_set_col_bnds(lp, j + 1, type, lo, up);
        }
        glp_set_obj_coef(lp, j + 1, problem->objective[j]);
    }
    if (problem->nonzeros > 0) {
        ia = (int *)malloc(sizeof(int) * (size_t)(problem->nonzeros + 1));
        ja = (int *)malloc(sizeof(int) * (size_t)(problem->nonzeros + 1));
        ar = (double *)malloc(sizeof(double) * (size_t)(problem->nonzeros + 1));
        if (ia == NULL || ja == NULL || ar == NULL) {
            free(ia); free(ja); free(ar);
            glp_delete_prob(lp);
            result->code = SCHED_BAD_INPUT;
            snprintf(result->message, sizeof(result->message), "out of memory for %d non-zeros", problem->nonzeros);
            release_hooks();
            return result->code;
        }
        for (int k = 0; k < problem->nonzeros; k++) {
            ia[k + 1] = problem->entry_row[k] + 1;
            ja[k + 1] = problem->entry_col[k] + 1;
            ar[k + 1] = problem->entry_value[k];
        }
        glp_load_matrix(lp, problem->nonzeros, ia, ja, ar);
        free(ia); ia = NULL;
        free(ja); ja = NULL;
        free(ar); ar = NULL;
    }

    if (problem->export_path != NULL) {
        int failed = problem->export_format == 1
            ? glp_write_mps(lp, GLP_MPS_FILE, NULL, problem->export_path)
            : glp_write_lp(lp, NULL, problem->export_path);
        if (failed) {
            glp_delete_prob(lp);
            result->code = SCHED_EXPORT_FAILED;
            snprintf(result->message, sizeof(result->message), "could not write the model to %s", problem->export_path);
            release_hooks();
            return result->code;
        }
    }

    /* LP relaxation first, so that the branch-and-cut works on the original
     * columns and the callback can offer a start solution in their terms. */
    /* As glpsol does: scale, and start from an advanced basis. On a generated
     * 200-visit day the root LP took longer than 24 s from the standard basis
     * without scaling, 7.4 s with both. */
    /* With the MIP presolver, glp_intopt solves the presolved problem's LP itself. */
    int lp_ret = 0;
    if (!problem->presolve) {
        glp_scale_prob(lp, GLP_SF_AUTO);
        glp_adv_basis(lp, 0);
        glp_smcp sm;
        glp_init_smcp(&sm);
        sm.msg_lev = problem->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
        sm.presolve = GLP_OFF;
        lp_ret = interruptible_simplex(lp, &sm, problem, started);
    }
    if (!problem->presolve && (lp_ret != 0 || glp_get_status(lp) != GLP_OPT)) {
        int lp_status = glp_get_status(lp);
        if (lp_ret == GLP_ESTOP) {
            result->code = SCHED_INTERRUPTED;
            snprintf(result->message, sizeof(result->message), "stopped while solving the LP relaxation");
        } else if (lp_status == GLP_NOFEAS) {
            result->code = SCHED_NO_PRIMAL;
            snprintf(result->message, sizeof(result->message), "the LP relaxation has no feasible solution");
        } else if (lp_ret == GLP_ETMLIM) {
            result->code = SCHED_TIME_LIMIT;
            snprintf(result->message, sizeof(result->message), "the time limit ran out while solving the LP relaxation");
        } else {
            result->code = SCHED_SOLVER_FAILURE;
            snprintf(result->message, sizeof(result->message), "the LP relaxation failed (glp_simplex %d, status %d)", lp_ret, lp_status);
        }
        glp_delete_prob(lp);
        result->seconds = now_seconds() - started;
        release_hooks();
        return result->code;
    }

    callback_state cb;
    memset(&cb, 0, sizeof(cb));
    cb.problem = problem;
    cb.result = result;
    cb.deadline = problem->time_limit_seconds > 0 ? started + problem->time_limit_seconds : 0.0;
    cb.started = started;
    cb.last_progress = now_seconds();

    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = problem->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
    io.presolve = problem->presolve ? GLP_ON : GLP_OFF;
    io.cb_func = search_callback;
    io.cb_info = &cb;
    /* Measured on the shared example days (2-core machine, GLPK 5.0): MIR cuts
     * are essential (small-day: 0.04 s with them, 85 s without); the feasibility
     * pump slowed busy-day threefold. Gomory cuts are the caller's choice: they
     * cost root time, and on mid-size days they close most of the gap. */
    io.gmi_cuts = problem->gomory_cuts ? GLP_ON : GLP_OFF;
    io.mir_cuts = GLP_ON;
    io.cov_cuts = GLP_ON;
    io.clq_cuts = GLP_ON;
    io.fp_heur = GLP_OFF;
    if (problem->lazy_rows != NULL) io.sr_heur = GLP_OFF;
    if (problem->most_fractional) {
        /* GLPK's default branching (Driebeck-Tomlin) evaluates a simplex tableau row
         * per fractional column: on a 200-visit day one branching took 88 s, past
         * the time limit, as the callback is not called meanwhile. */
        io.br_tech = GLP_BR_MFV;
    }
    if (problem->depth_first) {
        /* Finds integer solutions where best-bound search finds none for minutes
         * (generated 50-visit day: a plan without unmet needs within seconds). */
        io.bt_tech = GLP_BT_DFS;
        io.br_tech = GLP_BR_MFV;
    }
    io.mip_gap = problem->relative_gap > 0 ? problem->relative_gap : 0.0;
    if (problem->time_limit_seconds > 0) {
        double remaining = (problem->time_limit_seconds - (now_seconds() - started)) * 1000.0;
        if (remaining < 1.0) remaining = 1.0;
        io.tm_lim = remaining > 2.0e9 ? 2000000000 : (int)remaining;
    }
    int ret = glp_intopt(lp, &io);
    int status = glp_mip_status(lp);

    switch (ret) {
    case 0: result->code = SCHED_OK; break;
    case GLP_ETMLIM: result->code = SCHED_TIME_LIMIT; break;
    case GLP_EMIPGAP: result->code = SCHED_GAP_LIMIT; break;
    case GLP_ESTOP:
        result->code = stop_requested(problem) ? SCHED_INTERRUPTED : SCHED_TIME_LIMIT;
        break;
    case GLP_ENOPFS: result->code = SCHED_NO_PRIMAL; break;
    default:
        result->code = SCHED_SOLVER_FAILURE;
        snprintf(result->message, sizeof(result->message), "glp_intopt returned %d", ret);
        break;
    }
    if (status == GLP_OPT || status == GLP_FEAS) {
        result->mip_status = (status == GLP_OPT && ret == 0) ? SCHED_SOL_OPTIMAL : SCHED_SOL_FEASIBLE;
        result->objective = glp_mip_obj_val(lp);
        for (int j = 0; j < problem->cols; j++) {
            result->col_values[j] = glp_mip_col_val(lp, j + 1);
        }
        if (result->mip_status == SCHED_SOL_OPTIMAL) {
            result->bound = result->objective;
            result->has_bound = 1;
        }
    } else if (status == GLP_NOFEAS) {
        result->mip_status = SCHED_SOL_INFEASIBLE;
    }
    if (!result->has_bound && ret == 0 && status == GLP_NOFEAS) {
        result->has_bound = 0;
    }
    glp_delete_prob(lp);
    result->seconds = now_seconds() - started;
    release_hooks();
    return result->code;
}

int sched_glpk_thread_safe(void) {
    return glp_config("TLS") != NULL;
}

const char *sched_glpk_version(void) {
    return glp_version();
}

void sched_glpk_release_thread(void) {
    /* sched_glpk_solve deletes its problem before returning: nothing else of this
       thread's environment is in use. */
    glp_free_env();
}
