# Reference values from R's strucchange for tests/test_breaks_reference.py.
#
# Run from the repository root:  Rscript tests/reference/make_strucchange.R
# Needs: r-base-core r-cran-strucchange r-cran-sandwich r-cran-jsonlite (Debian).
# Writes tests/reference/strucchange.json: for every case the exact inputs (y, regressors,
# first period, frequency) and strucchange's outputs. Break points are strucchange's:
# the last observation of the old regime, 1-based (the tests convert them).
suppressMessages({
  library(strucchange)
  library(sandwich)
  library(jsonlite)
})

nw <- function(lag) function(x, ...) NeweyWest(x, lag = lag, prewhite = FALSE, adjust = FALSE)
hc1 <- function(x, ...) vcovHC(x, type = "HC1")

one_case <- function(name, y, start, frequency, exog = NULL, trend = FALSE, log = FALSE,
                     trim = 0.15, bp_h = 0.15, breaks = 5, chow = integer(0),
                     fstats_vcov = list(), confint_args = list(list()), efp = TRUE,
                     fstats_window = NULL, note = "") {
  yy <- if (log) log(y) else y
  n <- length(yy)
  d <- data.frame(y = yy)
  rhs <- "1"
  if (trend) {
    d$tt <- seq_len(n)
    rhs <- c(rhs, "tt")
  }
  if (!is.null(exog)) {
    for (nm in names(exog)) d[[nm]] <- exog[[nm]]
    rhs <- c(rhs, names(exog))
  }
  f <- as.formula(paste("y ~", paste(rhs, collapse = " + ")))
  out <- list(name = name, note = note, start = start, frequency = frequency,
              y = y, exog = exog, trend = trend, log = log, formula = deparse(f))

  out$chow <- lapply(chow, function(p) {
    t <- sctest(f, data = d, type = "Chow", point = p)
    list(point = p, statistic = unname(t$statistic), p_value = unname(t$p.value))
  })

  fs_out <- function(fs) {
    tests <- lapply(c("supF", "aveF", "expF"), function(tp) {
      t <- sctest(fs, type = tp)
      list(statistic = unname(t$statistic), p_value = unname(t$p.value))
    })
    names(tests) <- c("supF", "aveF", "expF")
    c(list(Fstats = as.vector(fs$Fstats), breakpoint = fs$breakpoint, lambda = fs$par,
           from = as.integer(round(start(fs$Fstats)[1] * 0) + fs$breakpoint - which.max(as.vector(fs$Fstats)) + 1)),
      tests)
  }
  fs <- Fstats(f, data = d, from = trim)
  out$fstats <- c(list(trim = trim, cov = "classical"), fs_out(fs))
  if (!is.null(fstats_window)) {
    fsw <- Fstats(f, data = d, from = fstats_window[1], to = fstats_window[2])
    out$fstats_window <- c(list(from = fstats_window[1], to = fstats_window[2]), fs_out(fsw))
  }
  out$fstats_robust <- lapply(names(fstats_vcov), function(nm) {
    spec <- fstats_vcov[[nm]]
    fsr <- Fstats(f, data = d, from = trim, vcov. = spec$fun)
    c(list(trim = trim, cov = spec$cov, hac_lags = spec$lags), fs_out(fsr))
  })

  bp <- breakpoints(f, data = d, h = bp_h, breaks = breaks)
  s <- summary(bp)
  by_m <- lapply(0:breaks, function(m) {
    b <- breakpoints(bp, breaks = m)
    list(m = m, breakpoints = if (m == 0) integer(0) else b$breakpoints,
         RSS = b$RSS, BIC = AIC(b, k = log(n)))
  })
  sel <- breakpoints(bp)$breakpoints
  out$breakpoints <- list(h = bp_h, breaks = breaks, by_m = by_m,
                          selected = if (all(is.na(sel))) integer(0) else sel)

  # sup-F inside each regime of the optimal l-break partition (l = 1, 2): the
  # sup-F(l+1|l) statistic of Bai and Perron is the largest of these.
  h_abs <- if (bp_h < 1) floor(bp_h * n) else bp_h
  out$within_regime_supf <- lapply(1:min(2, breaks), function(l) {
    bps <- c(0, breakpoints(bp, breaks = l)$breakpoints, n)
    stats <- sapply(seq_len(length(bps) - 1), function(j) {
      a <- bps[j] + 1
      b <- bps[j + 1]
      if (b - a + 1 < 2 * h_abs) return(NA)
      ds <- d[a:b, , drop = FALSE]
      if ("tt" %in% names(ds)) ds$tt <- seq_len(nrow(ds)) + a - 1
      max(Fstats(f, data = ds, from = h_abs)$Fstats)
    })
    list(l = l, h = h_abs, segment_sup_f = stats)
  })
  out$confint <- lapply(confint_args, function(a) {
    if (all(is.na(sel))) return(NULL)
    args <- c(list(object = bp, level = 0.95), a$args)
    ci <- suppressWarnings(do.call(confint, args))$confint
    list(cov = a$cov %||% "classical", hac_lags = a$lags, het_reg = a$args$het.reg %||% TRUE,
         het_err = a$args$het.err %||% TRUE, lower = ci[, 1], breakpoints = ci[, 2], upper = ci[, 3])
  })

  if (efp) {
    for (tp in c("OLS-CUSUM", "Rec-CUSUM")) {
      e <- efp(f, data = d, type = tp)
      t <- sctest(e)
      key <- if (tp == "OLS-CUSUM") "cusum_ols" else "cusum_rec"
      out[[key]] <- list(statistic = unname(t$statistic), p_value = unname(t$p.value),
                         process = as.vector(e$process), boundary = as.vector(boundary(e)))
    }
  }
  out
}
`%||%` <- function(a, b) if (is.null(a)) b else a

cases <- list()

# 1. Nile: annual flow of the Nile at Aswan 1871-1970 (R datasets), level shift around 1898.
cases[[length(cases) + 1]] <- one_case(
  "nile", as.vector(Nile), "1871", "A", chow = c(27L, 28L),
  fstats_vcov = list(hc1 = list(fun = hc1, cov = "HC1"), hac = list(fun = nw(3), cov = "HAC", lags = 3L)),
  confint_args = list(list(), list(cov = "HC1", args = list(vcov. = hc1)),
                      list(cov = "HAC", lags = 3L, args = list(vcov. = nw(3))),
                      list(args = list(het.reg = FALSE, het.err = FALSE))),
  fstats_window = c(20L, 40L), note = "R datasets::Nile")

# 2. UK driver deaths (log10), with lags 1 and 12, 1970-01..1984-12: the seat-belt law of
#    31 January 1983 (as in strucchange's examples).
data("UKDriverDeaths", package = "datasets")
sb <- log10(UKDriverDeaths)
sb <- cbind(sb, stats::lag(sb, k = -1), stats::lag(sb, k = -12))
colnames(sb) <- c("y", "ylag1", "ylag12")
sb <- window(sb, start = c(1970, 1), end = c(1984, 12))
cases[[length(cases) + 1]] <- one_case(
  "uk_driver_deaths", as.vector(sb[, "y"]), "1970-01", "M",
  exog = list(ylag1 = as.vector(sb[, "ylag1"]), ylag12 = as.vector(sb[, "ylag12"])),
  trim = 0.1, bp_h = 0.1, breaks = 5, chow = c(157L),
  confint_args = list(list(), list(cov = "HC1", args = list(vcov. = hc1))),
  note = "log10(UKDriverDeaths) on its lags 1 and 12, 1970-1984; law in force from 1983-02")

# 3. Bai-Perron's US ex-post real interest rate, quarterly 1961Q1-1986Q3 (strucchange::RealInt).
data("RealInt", package = "strucchange")
cases[[length(cases) + 1]] <- one_case(
  "real_interest", as.vector(RealInt), "1961Q1", "Q", trim = 15L, bp_h = 15L, breaks = 5,
  chow = c(47L), fstats_window = c(30L, 60L),
  fstats_vcov = list(hac = list(fun = nw(4), cov = "HAC", lags = 4L)),
  confint_args = list(list(), list(cov = "HAC", lags = 4L, args = list(vcov. = nw(4)))),
  note = "strucchange::RealInt (Garcia and Perron 1996; Bai and Perron 2003)")

# 4. Synthetic annual: mean shift at observation 21 (first period of the new regime: 2000).
set.seed(20171222)
y4 <- c(rnorm(20, 10, 1), rnorm(20, 13, 1))
cases[[length(cases) + 1]] <- one_case("synthetic_annual_shift", y4, "1980", "A",
                                       breaks = 3, chow = c(20L), note = "N(10,1) then N(13,1)")

# 5. Synthetic monthly, trend and one regressor, two breaks (at 48 and 96).
set.seed(2397)
n5 <- 144
x5 <- rnorm(n5)
t5 <- seq_len(n5)
y5 <- 5 + 0.02 * t5 + 0.5 * x5 + ifelse(t5 > 48, 1.5, 0) + ifelse(t5 > 96, -0.03 * (t5 - 96) + 0.8 * x5, 0) +
  rnorm(n5, 0, 0.4)
cases[[length(cases) + 1]] <- one_case(
  "synthetic_monthly_trend_exog", y5, "2012-01", "M", exog = list(x = x5), trend = TRUE,
  breaks = 4, chow = c(48L, 96L),
  fstats_vcov = list(hc1 = list(fun = hc1, cov = "HC1")),
  confint_args = list(list(), list(args = list(het.err = FALSE))),
  note = "trend and regressor x; breaks after observations 48 and 96")

# 6. Synthetic quarterly, no break (p-values should be large).
set.seed(1718)
cases[[length(cases) + 1]] <- one_case("synthetic_quarterly_null", 100 + rnorm(80, 0, 2), "2000Q1", "Q",
                                       breaks = 3, chow = c(40L), note = "white noise around 100")

# 7. Synthetic annual with a huge break: strucchange's ave-F and exp-F p-values misbehave.
set.seed(2375)
y7 <- c(rnorm(30, 0, 1), rnorm(30, 12, 1))
cases[[length(cases) + 1]] <- one_case("synthetic_huge_break", y7, "1960", "A", breaks = 2,
                                       chow = c(30L), note = "shift of 12 standard deviations")

# 8. China-DPRK total trade (GACC, the package's embedded data), log level with trend.
cd <- read.csv("src/bilateral_trade/datasets/data/china_dprk_annual.csv")
cases[[length(cases) + 1]] <- one_case("china_dprk_log_trend", cd$total_usd, "2003", "A",
                                       trend = TRUE, log = TRUE, trim = 0.2, bp_h = 0.2, breaks = 2,
                                       chow = c(15L), note = "log total with trend; 2018 is position 15")
# 9. The same series before COVID (2003-2019), log level, mean model.
pre <- cd$total_usd[cd$year <= 2019]
cases[[length(cases) + 1]] <- one_case("china_dprk_log_precovid", pre, "2003", "A", log = TRUE,
                                       breaks = 2, chow = c(15L), note = "log total 2003-2019")

out <- list(generator = "tests/reference/make_strucchange.R",
            strucchange = as.character(packageVersion("strucchange")),
            sandwich = as.character(packageVersion("sandwich")),
            R = R.version.string, cases = cases)
write_json(out, "tests/reference/strucchange.json", digits = NA, auto_unbox = TRUE, null = "null",
           pretty = FALSE)
cat("wrote", length(cases), "cases\n")
