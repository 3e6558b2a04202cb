/*
 * parity.h: the umbrella header. Includes every public module header, in
 * pipeline order: ingest -> store -> analyses -> reports.
 */
#ifndef PARITY_H
#define PARITY_H

#include "parity/common.h"
#include "parity/codes.h"
#include "parity/period.h"
#include "parity/stats.h"
#include "parity/store.h"
#include "parity/ingest.h"
#include "parity/analyse.h"
#include "parity/check.h"
#include "parity/quality.h"
#include "parity/publish.h"
#include "parity/return.h"
#include "parity/report.h"
#include "parity/run.h"

#endif
