/*
 * report_appendix_methods.c: the last pages of the board report: the
 * methods with the suppression rule, and the record that makes the report
 * reproducible (version, run, settings, input files with their SHA-256).
 */
#include "parity/common.h"
#include "parity/period.h"
#include "report_internal.h"
#include "util/sha256.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- methods ------------------------------------------------------------------- */

static const char *method_title(parity_ci_method method)
{
	switch (method) {
	case PARITY_CI_KOOPMAN:
		return "Koopman asymptotic score interval (Koopman, Biometrics "
		       "1984;40:513; recommended by Fagerland, Lydersen and Laake 2015)";
	case PARITY_CI_KATZ:
		return "Katz log interval (Katz et al., Biometrics 1978;34:469)";
	case PARITY_CI_ADJUSTED_LOG:
		return "adjusted log interval (Walter 1975; Pettigrew, Gart and "
		       "Thomas 1986: x + 0.5 and n + 0.5 in every term; not the "
		       "Haldane-Anscombe correction)";
	case PARITY_CI_MN:
		return "Miettinen-Nurminen score interval (Stat Med 1985;4:213)";
	default:
		return "unknown";
	}
}

void report_render_methods(draw_doc *doc, const report *rep)
{
	const parity_stats_settings *st = &rep->results->settings;
	const parity_results *res = rep->results;
	unsigned t = rep->suppress_below;
	report_part(doc, "Methods", "How every number in this report was made");

	draw_doc_heading(doc, 12, "The relative likelihood");
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "RLR = (x1 / n1) \u00F7 (x2 / n2): in group 1, x1 of n1 "
	                 "reached the outcome; in group 2, x2 of n2. It is computed "
	                 "from the counts, never from rounded percentages. Each "
	                 "indicator is oriented as the standard publishes it, so "
	                 "that above 1 means the minority or protected group is "
	                 "worse off:");
	for (size_t k = 0; k < rep->ind_count; k++) {
		const parity_indicator_info *w = rep->ind[k].info;
		report_bullet(doc, report_small, "<b>%s</b>: %s (x) of %s (n); group 1 "
		              "%s, group 2 %s%s.", w->title, w->outcome_label,
		              w->base_label, w->group1, w->group2,
		              w->rolling ? "; counted over the rolling window" : "");
	}
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "White = ethnic categories A, B, C; BME = every other "
	                 "stated category (D to S). Not stated (Z), not known (99, "
	                 "X) and blanks are in neither group. Bank staff are "
	                 "excluded%s. Headcount is the latest workforce snapshot "
	                 "in the period. WRES 3 and WDES 3 count %u years ending "
	                 "with the period. Comparisons by characteristic take a "
	                 "reference group (White British, men, the largest group "
	                 "otherwise); for favourable outcomes the reference is "
	                 "group 1, for adverse ones group 2, so above 1 always "
	                 "means the compared group is worse off.",
	                 res->include_bank ? " (this report counts them, by "
	                                     "request)" : "",
	                 res->rolling_years ? res->rolling_years : 2);

	draw_doc_heading(doc, 12, "Intervals and tests");
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "%g%% confidence intervals by the %s. When no one in "
	                 "group 2 reached the outcome the ratio and its upper limit "
	                 "are infinite (\u221E); when no one in group 1 did, the "
	                 "ratio and its lower limit are 0; when neither did, there "
	                 "is no estimate. The report judges a difference by its "
	                 "interval; results.csv gives the p-value of the test "
	                 "that interval inverts (p_score, which always agrees "
	                 "with it), with Fisher's exact test (two-sided, R's "
	                 "convention), the mid-p and Pearson's chi-square as "
	                 "alternatives, and the smallest ratios each comparison "
	                 "could detect with 80%% power (5%% two-sided; Fleiss, Levin "
	                 "and Paik 2003, 4.2, for the observed group sizes and "
	                 "cases), which the report quotes wherever an interval "
	                 "includes 1. The band is where the estimate "
	                 "lies against the non-adverse range 0.80 to 1.25 (the "
	                 "four-fifths rule, 29 CFR 1607.4(D), applied both ways).",
	                 rep->level * 100, method_title(st->method));
	size_t tests = 0, largest = 0;
	double families = 0.0; /* a family of k rows adds k times 1/k */
	for (size_t i = 0; i < res->count; i++) {
		unsigned size = res->rows[i].family_size;
		tests += size > 0;
		families += size > 0 ? 1.0 / size : 0.0;
		largest = size > largest ? size : largest;
	}
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "<b>Multiple comparisons.</b> This analysis made %zu "
	                 "comparisons in %zu families (the largest has %zu). A "
	                 "family is the rows of one indicator or measure that "
	                 "share a grouping and a breakdown: its organisations, its "
	                 "pay bands, its staff groups, or one characteristic's "
	                 "categories against the reference. results.csv gives each "
	                 "p_score adjusted within its family by Holm's method "
	                 "(p_holm: family-wise error) and by Benjamini and "
	                 "Hochberg's (p_bh: false discovery rate). The report's "
	                 "wording follows each interval on its own, unadjusted.",
	                 tests, (size_t)lround(families), largest);
	if (st->low_count_min > 0)
		report_paragraph(doc, report_small, DRAW_BLACK,
		                 "<b>The low-count rule.</b> A result is marked \"too "
		                 "few cases to draw a conclusion\" when either group "
		                 "has fewer than %llu people who reached the outcome "
		                 "(x1 &lt; %llu or x2 &lt; %llu: Public Health "
		                 "England's rule applies its cut-off to each "
		                 "numerator). Its estimate is still shown in the "
		                 "detail, but it is not a number to act on, and the "
		                 "summary does not give it.",
		                 (unsigned long long)st->low_count_min,
		                 (unsigned long long)st->low_count_min,
		                 (unsigned long long)st->low_count_min);
	else
		report_paragraph(doc, report_small, DRAW_BLACK,
		                 "<b>The low-count rule</b> is switched off for this "
		                 "report.");

	draw_doc_heading(doc, 12, "Pooling, change and comparison");
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "<b>Pooled ratio:</b> Mantel\u2013Haenszel over the strata "
	                 "(organisations, pay bands, staff groups), RLR_MH = "
	                 "\u03A3(x1k\u00B7n2k/Nk) \u00F7 \u03A3(x2k\u00B7n1k/Nk), with "
	                 "the Greenland\u2013Robins interval (Biometrics "
	                 "1985;41:55). <b>Homogeneity:</b> Woolf-type Q = "
	                 "\u03A3 wk(ln RLRk \u2212 ln RLR_MH)\u00B2, wk = 1/SEk\u00B2, "
	                 "against \u03C7\u00B2 on K \u2212 1 df. A pooled ratio on "
	                 "the other side of 1 from the crude overall ratio is "
	                 "flagged as Simpson's paradox.");
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "<b>Change since last year</b> (summary): last year's "
	                 "estimate is set against this year's %g%% interval; "
	                 "outside it, the change is called beyond the interval. "
	                 "This is a screening rule, not a test (rolling windows of "
	                 "consecutive years overlap). <b>Cohorts:</b> the ratio of "
	                 "ratios exp(ln R_after \u2212 ln R_before) with SE = "
	                 "\u221A(SE_after\u00B2 + SE_before\u00B2) (Altman and "
	                 "Bland, BMJ 2003;326:219), the same for the comparators, "
	                 "and the difference-in-differences one level up. "
	                 "cohorts.csv gives the smallest ratio of ratios each "
	                 "row's windows could have detected, exp(\u00B12.80\u00B7SE) "
	                 "(80%% power, 5%% two-sided; Bloom 1995).",
	                 rep->level * 100);
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "<b>Funnel plots</b> (Spiegelhalter, Stat Med "
	                 "2005;24:1185): each organisation's log ratio against its "
	                 "precision 1/SE\u00B2, with limits exp(ln \u03B8 \u00B1 "
	                 "z\u221A(SE\u00B2 + \u03C4\u00B2)) at 95%% and 99.8%% "
	                 "around the pooled ratio \u03B8 (\u03C4\u00B2 = 0 unless "
	                 "widened for over-dispersion). <b>Kline's compound "
	                 "ratio:</b> the product of the band-to-band appointment "
	                 "ratios, interval exp(\u03A3 ln Rk \u00B1 "
	                 "z\u221A\u03A3 SEk\u00B2), assuming independent steps. "
	                 "Standard errors for combining ratios are Katz's, or the "
	                 "adjusted log form (x + 0.5) where a count is 0.");

	draw_doc_heading(doc, 12, "Small numbers");
	parity_publish_summary cost;
	parity_publish_summarise(&cost, rep->pub);
	if (t > 1 && parity_publish_policy(rep->pub) == PARITY_DISCLOSURE_NHS_DIGITAL)
		report_paragraph(doc, report_small, DRAW_BLACK,
		                 "NHS Digital's rule: counts from 1 to 7 are shown as "
		                 "\"*\", every other count is rounded to the nearest "
		                 "5. A row with a \"*\" count shows no rate, ratio, "
		                 "interval or band. Rates and ratios are computed from "
		                 "the true counts. Of %zu counts this report prints, "
		                 "%zu are shown \"*\"; %zu row%s of the period and "
		                 "its trend %s no figures.",
		                 cost.counts, cost.primary, cost.rows_withheld,
		                 cost.rows_withheld == 1 ? "" : "s",
		                 cost.rows_withheld == 1 ? "has" : "have");
	else if (t > 1)
		report_paragraph(doc, report_small, DRAW_BLACK,
		                 "Every number in this report passes one disclosure "
		                 "check over the whole document. Counts from 1 to %u "
		                 "are shown as \"&lt;%u\". A further count is hidden, "
		                 "shown \"[c]\", wherever the other printed counts "
		                 "would give a hidden one back: by a total, a "
		                 "difference (such as those not appointed), a table "
		                 "of another characteristic of the same people (sex "
		                 "and disability add up to the same total), a crossed "
		                 "table's margins, or the \"&lt;%u\" marks themselves "
		                 "(then a small count is shown \"[c]\" too). A ratio, "
		                 "rate or interval printed beside the other counts "
		                 "would reveal a hidden count (x2 = n2\u00B7x1 \u00F7 "
		                 "(n1\u00B7RLR)), so <b>a row with any hidden count "
		                 "shows no rate, ratio, interval or band</b>: it says "
		                 "\"suppressed (small numbers)\", in the charts as "
		                 "well, and its sentence uses no figures. A pooled "
		                 "ratio weighs each organisation, band or group "
		                 "differently, so with the others' counts it would "
		                 "give a hidden one away: it is not shown (nor its "
		                 "homogeneity test or funnel plot) when one it "
		                 "combines is suppressed. Earlier years' figures "
		                 "(the trend, \"Was ... in ...\", What changed) pass "
		                 "the same check. Of %zu counts this report prints, "
		                 "%zu are hidden as small and %zu besides; %zu "
		                 "row%s of the period and its trend %s no figures.",
		                 t - 1, t, t, cost.counts, cost.primary,
		                 cost.secondary, cost.rows_withheld,
		                 cost.rows_withheld == 1 ? "" : "s",
		                 cost.rows_withheld == 1 ? "has" : "have");
	else
		report_paragraph(doc, report_small, DRAW_BLACK,
		                 "<b>Small-number suppression is off:</b> every count, "
		                 "rate and ratio is shown. Turn it on (the default, "
		                 "--suppress 5) before this report leaves the "
		                 "organisation.");
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "<b>What may be published:</b> this PDF, its charts and "
	                 "report-tables.csv (the report's tables as printed). "
	                 "results.csv, results.json, trend.* and cohorts.* beside "
	                 "them are the analysts' raw output, with every count "
	                 "unsuppressed: not for publication.");

	draw_doc_heading(doc, 12, "References");
	static const char *const refs[] = {
		"Altman DG, Bland JM. Interaction revisited: the difference between "
		"two estimates. BMJ 2003;326:219.",
		"Benjamini Y, Hochberg Y. Controlling the false discovery rate. "
		"J R Stat Soc B 1995;57:289-300.",
		"Bloom HS. Minimum detectable effects. Eval Rev 1995;19:547-556.",
		"Fagerland MW, Lydersen S, Laake P. Recommended confidence intervals "
		"for two independent binomial proportions. Stat Methods Med Res "
		"2015;24:224-254.",
		"Fleiss JL, Levin B, Paik MC. Statistical methods for rates and "
		"proportions, 3rd ed. Wiley, 2003 (section 4.2: power).",
		"Greenland S, Robins JM. Estimation of a common effect parameter "
		"from sparse follow-up data. Biometrics 1985;41:55-68.",
		"Katz D, Baptista J, Azen SP, Pike MC. Obtaining confidence "
		"intervals for the risk ratio in cohort studies. Biometrics "
		"1978;34:469-474.",
		"Holm S. A simple sequentially rejective multiple test procedure. "
		"Scand J Stat 1979;6:65-70.",
		"Kline R. Discrimination by appointment: how black and minority "
		"ethnic applicants are disadvantaged in NHS staff recruitment. "
		"Public World, 2013.",
		"Koopman PAR. Confidence intervals for the ratio of two binomial "
		"proportions. Biometrics 1984;40:513-517.",
		"Mantel N, Haenszel W. Statistical aspects of the analysis of data "
		"from retrospective studies of disease. J Natl Cancer Inst "
		"1959;22:719-748.",
		"Miettinen O, Nurminen M. Comparative analysis of two rates. Stat "
		"Med 1985;4:213-226.",
		"Public Health England. Technical guide: confidence intervals. "
		"PHE, 2018 (small numerators).",
		"Spiegelhalter DJ. Funnel plots for comparing institutional "
		"performance. Stat Med 2005;24:1185-1202.",
		"Woolf B. On estimating the relation between blood group and "
		"disease. Ann Hum Genet 1955;19:251-253.",
	};
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
		report_bullet(doc, report_note, "%s", refs[i]);
}

/* ---- reproducibility ------------------------------------------------------------ */

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : path ? path : "";
}

/* A file read for this report (not stored): its name, what it is and its
 * SHA-256 ("unreadable" when it cannot be read now). Nothing without one. */
static void draw_read_file(draw_doc *doc, const char *path, const char *what)
{
	if (!path)
		return;
	char sha[65];
	if (sha256_file_hex(path, sha) != 0) {
		parity_error_clear();
		snprintf(sha, sizeof sha, "unreadable");
	}
	char *text = g_markup_printf_escaped("<b>%s</b> (%s; read for this report)\n"
	                                     "<span size=\"smaller\">SHA-256 %s</span>",
	                                     base_name(path), what, sha);
	if (text) {
		draw_doc_text(doc, report_small, DRAW_MARKUP, DRAW_BLACK, text);
		g_free(text);
		doc->y += 3;
	}
}

void report_render_record(draw_doc *doc, const report *rep)
{
	const parity_results *res = rep->results;
	const parity_stats_settings *st = &res->settings;
	const parity_quality *q = rep->opt.quality;
	char run[32], level[16], low[32], window[32], suppress[64], months[40];
	char cohort_window[32];

	report_part_after(doc, "Reproducibility", "What this report was made "
	                  "from, and with which settings", 420);
	if (rep->opt.run_id > 0)
		snprintf(run, sizeof run, "%lld", (long long)rep->opt.run_id);
	else
		snprintf(run, sizeof run, "not recorded");
	snprintf(level, sizeof level, "%g%%", rep->level * 100);
	if (st->low_count_min)
		snprintf(low, sizeof low, "fewer than %llu",
		         (unsigned long long)st->low_count_min);
	else
		snprintf(low, sizeof low, "off");
	snprintf(window, sizeof window, "%u financial year%s",
	         res->rolling_years ? res->rolling_years : 2,
	         res->rolling_years == 1 ? "" : "s");
	if (rep->suppress_below > 1)
		snprintf(suppress, sizeof suppress, "counts 1 to %u shown as %s%s",
		         rep->suppress_below - 1, parity_publish_small_mark(rep->pub),
		         parity_publish_policy(rep->pub) == PARITY_DISCLOSURE_NHS_DIGITAL
		         ? ", others rounded to 5 (NHS Digital)" : "");
	else
		snprintf(suppress, sizeof suppress, "off");
	if (res->first_month > 0 && res->last_month >= res->first_month) {
		char a[8], b[8];
		parity_month_label(a, res->first_month);
		parity_month_label(b, res->last_month);
		snprintf(months, sizeof months, "%s (%s to %s)", rep->period, a, b);
	} else {
		snprintf(months, sizeof months, "%s", rep->period);
	}
	char version[48];
	snprintf(version, sizeof version, "parity %s", parity_version());
	snprintf(cohort_window, sizeof cohort_window, "%u months",
	         res->cohort_window_months ? res->cohort_window_months : 12);
	const char *settings[][2] = {
		{"Engine", version},
		{"Run id (the database's run history)", run},
		{"Produced", rep->date_text},
		{"Period analysed", months},
		{"Organisations", rep->where},
		{"Database", rep->opt.database ? base_name(rep->opt.database) : "not named"},
		{"Cohort file", rep->opt.cohorts_file ? base_name(rep->opt.cohorts_file)
		                                      : "none"},
		{"Interval method", parity_ci_method_name(st->method)},
		{"Confidence level", level},
		{"Low-count rule", low},
		{"Rolling window (WRES 3, WDES 3)", window},
		{"Bank staff", res->include_bank ? "included" : "excluded"},
		{"Cohort windows (before, after)", cohort_window},
		{"Funnel limits", rep->opt.funnel_adjust ? rep->opt.funnel_adjust : "plain"},
		{"Small-number suppression", suppress},
	};
	size_t n = sizeof settings / sizeof settings[0];
	draw_cell *cells = draw_calloc(n * 2, sizeof *cells);
	if (cells) {
		for (size_t i = 0; i < n; i++) {
			snprintf(cells[i * 2].text, sizeof cells[0].text, "%s", settings[i][0]);
			snprintf(cells[i * 2 + 1].text, sizeof cells[0].text, "%s",
			         settings[i][1]);
		}
		draw_column cols[2] = {{"Setting", 0, 0}, {"Value", 0, 0}};
		report_table(doc, cols, 2, NULL, 0, cells, NULL, n);
		free(cells);
	}

	draw_doc_heading(doc, 12, "Input files");
	if (!q || q->file_count == 0) {
		report_paragraph(doc, report_small, DRAW_BLACK,
		                 "The list of input files was not given to this report "
		                 "(see parity quality --db DB).");
		return;
	}
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "Every file ingested into the database, in order, with "
	                 "its SHA-256 (the same bytes give the same digest: "
	                 "sha256sum FILE). A file a later delivery replaced is "
	                 "marked and not counted.");
	for (size_t i = 0; i < q->file_count; i++) {
		const parity_quality_file *f = &q->files[i];
		char first[8] = "", last[8] = "", span[32] = "", day[16];
		if (f->first_month > 0)
			parity_month_label(first, f->first_month);
		if (f->last_month > 0)
			parity_month_label(last, f->last_month);
		/* A kind without months (the survey, by year) names none. */
		if (first[0] && last[0])
			snprintf(span, sizeof span, "; %s to %s", first, last);
		/* The day only: the time of ingest adds nothing a reader needs. */
		snprintf(day, sizeof day, "%.10s", f->ingested_at);
		char *text = g_markup_printf_escaped(
			"<b>%s</b> (%s%s; ingested %s)%s\n"
			"<span size=\"smaller\">SHA-256 %s</span>",
			base_name(f->path), f->kind, span, day,
			f->active ? "" : " \u2014 replaced by a later delivery, not counted",
			f->sha256);
		draw_doc_text(doc, report_small, DRAW_MARKUP, DRAW_BLACK, text);
		g_free(text);
		doc->y += 3;
	}
	/* The cohort and programme files are inputs too, read at report time. */
	draw_read_file(doc, rep->opt.cohorts_file, "mentoring cohorts");
	draw_read_file(doc, rep->opt.programme_file, "the programme's cohorts");
}
