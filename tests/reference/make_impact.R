# Reference values for event_impact (tests/test_impact.py): segmented regressions fitted
# with lm() and standard errors from sandwich (classical, HC1, Newey-West without
# prewhitening or adjustment). Run from the repository root:
#   Rscript tests/reference/make_impact.R
# Needs r-base-core, r-cran-sandwich, r-cran-jsonlite. Writes tests/reference/impact.json.
suppressMessages({
  library(sandwich)
  library(jsonlite)
})

fit_case <- function(name, y, start, frequency, first_post, model, log, lag, note) {
  n <- length(y)
  yy <- if (log) log(y) else y
  tt <- seq_len(n)
  post <- as.numeric(tt >= first_post)          # first_post is 1-based
  slope <- (tt - (first_post - 1)) * post         # 1 in the first post-event period
  d <- data.frame(yy = yy, trend = tt, level_1 = post, slope_1 = slope)
  terms <- c("trend")
  if (frequency == "M") {
    month <- ((tt - 1 + start_month(start) - 1) %% 12) + 1
    for (m in 2:12) d[[paste0("month_", m)]] <- as.numeric(month == m)
    terms <- c(terms, paste0("month_", 2:12))
  }
  terms <- c(terms, "level_1")
  if (model == "level+slope") terms <- c(terms, "slope_1")
  f <- as.formula(paste("yy ~", paste(terms, collapse = " + ")))
  fit <- lm(f, data = d)
  se <- function(V) unname(sqrt(diag(V)))
  list(
    name = name, note = note, y = y, start = start, frequency = frequency,
    first_post = first_post, model = model, log = log, hac_lags = lag,
    terms = c("const", terms),
    estimate = unname(coef(fit)),
    se_classical = se(vcov(fit)),
    se_hc1 = se(vcovHC(fit, type = "HC1")),
    se_hac = se(NeweyWest(fit, lag = lag, prewhite = FALSE, adjust = FALSE)),
    df_residual = fit$df.residual
  )
}
start_month <- function(start) if (grepl("-", start)) as.integer(sub(".*-", "", start)) else 1L

data("Seatbelts", package = "datasets")
drivers <- as.vector(Seatbelts[, "drivers"])
law_first <- which(as.vector(Seatbelts[, "law"]) == 1)[1]   # 1983-02
cases <- list(
  fit_case("uk_seatbelt_level", drivers, "1969-01", "M", law_first, "level", TRUE, 12L,
           "log(drivers killed or seriously injured), trend, month dummies, law from 1983-02"),
  fit_case("uk_seatbelt_level_slope", drivers, "1969-01", "M", law_first, "level+slope", TRUE, 6L,
           "as above with a slope change"),
  {
    set.seed(2397)
    n <- 96
    tt <- seq_len(n)
    month <- ((tt - 1) %% 12) + 1
    y <- exp(10 + 0.01 * tt + 0.1 * sin(2 * pi * month / 12) - 0.5 * (tt >= 61) -
               0.02 * (tt - 60) * (tt >= 61) + as.vector(arima.sim(list(ar = 0.4), n, sd = 0.05)))
    fit_case("synthetic_monthly", y, "2013-01", "M", 61L, "level+slope", TRUE, 4L,
             "level -0.5 and slope -0.02 from 2018-01, AR(1) errors")
  },
  {
    set.seed(2371)
    n <- 30
    tt <- seq_len(n)
    y <- 100 + 2 * tt - 15 * (tt >= 19) + rnorm(n, 0, 3)
    fit_case("synthetic_annual_levels", y, "1995", "A", 19L, "level", FALSE, 2L,
             "levels (no log), step -15 from 2013")
  }
)
write_json(list(generator = "tests/reference/make_impact.R",
                sandwich = as.character(packageVersion("sandwich")), R = R.version.string,
                cases = cases),
           "tests/reference/impact.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
cat("wrote", length(cases), "cases\n")
