#pragma once
// Umbrella header of the results database library (docs/database.md).
#include "storage/csv_export.hpp"
#include "storage/database.hpp"
#include "storage/database_path.hpp"
#include "storage/device_identity.hpp"
#include "storage/measurement_filter.hpp"
#include "storage/run_record.hpp"
#include "storage/run_writer.hpp"
#include "storage/stored_measurement.hpp"
