#ifndef APIARY_CMPI_SHIM_H
#define APIARY_CMPI_SHIM_H

// Open MPI's C API (libopenmpi-dev; pkg-config `ompi-c` gives the include and library paths).
#include <mpi.h>

// Open MPI's predefined handles are macros over the addresses of global objects, which Swift cannot import.
static inline MPI_Comm ck_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype ck_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype ck_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Op ck_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Errhandler ck_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline void *ck_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int ck_mpi_success(void) { return MPI_SUCCESS; }
static inline int ck_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }

#endif
