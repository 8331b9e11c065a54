/* --from FORMAT: lint, import, run, test and graph read device
 * configurations, and each forces their format the same way. */
#include "config.h"
#include "cli/cli.h"
#include "import/import.h"

int cli_from_option(const char *command, const char *value, const char **out)
{
	if (!import_format_known(value))
		return cli_usage_error(command, "unknown format '%s' for --from; the formats are %s",
				       value, import_format_names());
	*out = value;
	return -1;
}
