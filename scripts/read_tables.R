# Reads stimmung's tables into R with explicit column types, so that a column that happens to be
# empty in one run (posted_at without --crawled-at, warnings) still gets its proper type.
# Usage: Rscript scripts/read_tables.R [output-folder]
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "output"
read_table <- function(name, types) {
  read.csv(file.path(out, paste0(name, ".csv")), encoding = "UTF-8", colClasses = types)
}
articles <- read_table("articles", c(article_id = "character", title = "character",
  subtitle = "character", published = "character", byline = "character",
  declared_comments = "integer", mean_comment_tone = "numeric", warnings = "character"))
comments <- read_table("comments", c(article_id = "character", parent_id = "integer",
  rank = "character", posted_at = "character", truncated = "logical", irony = "character",
  mentions = "character", incivility_categories = "character", quoted_tone = "numeric"))
threads <- read_table("threads", c(article_id = "character"))
str(articles); str(comments); str(threads)
