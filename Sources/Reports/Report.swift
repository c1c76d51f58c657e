// The report generator (issue: generated markdown reports) is being written; see README.
enum ReportsModule {}
