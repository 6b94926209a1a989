package io.snapkeep.core.archfixture;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/** A deliberately bad core class: it reads cron itself instead of through its port. Only the architecture tests use it. */
public class CoreClassReadingCron {
    public CronParser parser() {
        return new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    }
}
