# Write the response-surface coefficients of Hansen (1997) for the p-values of the
# sup-F, ave-F and exp-F tests to src/bilateral_trade/breaks/data/hansen1997.json.
#
# Source of the numbers: B. E. Hansen (1997), "Approximate asymptotic p values for
# structural-change tests", Journal of Business & Economic Statistics 15(1), 60-67,
# as distributed with R's strucchange (objects sc.beta.sup, sc.beta.ave, sc.beta.exp).
# Rows: k = 1..40 regressors, 25 rows each for tau = 0.49, 0.47, ..., 0.01.
# Columns: polynomial coefficients in the statistic (degree 1 for sup-F, 3 for
# ave-F and exp-F), then the degrees of freedom of the chi-square.
#
# Run: Rscript tools/make_hansen_tables.R  (needs r-cran-strucchange, r-cran-jsonlite)
library(strucchange)
library(jsonlite)
tab <- function(name) unname(as.matrix(get(name, envir = asNamespace("strucchange"))))
out <- list(
  source = paste(
    "Hansen (1997), Approximate asymptotic p values for structural-change tests,",
    "JBES 15(1) 60-67; coefficients as distributed with R strucchange",
    as.character(packageVersion("strucchange"))
  ),
  layout = "rows: k = 1..40 x tau = 0.49, 0.47, ..., 0.01; columns: polynomial coefficients (ascending powers), chi-square df",
  sup = tab("sc.beta.sup"),
  ave = tab("sc.beta.ave"),
  exp = tab("sc.beta.exp")
)
write_json(out, "src/bilateral_trade/breaks/data/hansen1997.json", digits = NA, pretty = FALSE)
