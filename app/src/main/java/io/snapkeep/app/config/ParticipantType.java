package io.snapkeep.app.config;

import io.snapkeep.app.config.SnapkeepConfig.Participant;
import io.snapkeep.core.domain.StateCategory;
import java.util.Optional;

/**
 * A kind of state participant that an item of {@code participants} can name with {@code type}. The item's
 * {@code name}, {@code type} and {@code category} are read for every type alike; the type reads the rest of
 * the item, checks it with the participant's own settings rules, and returns a {@link Participant} that
 * builds and describes the participant.
 *
 * <p>Adding a type is one class implementing this and one line in {@link ParticipantTypes}.
 */
public interface ParticipantType {

    /** The {@code type} value of the items it reads. */
    String name();

    /**
     * Reads the type's keys of one {@code participants} item, reporting every problem through the section.
     *
     * @param item     the item
     * @param name     the item's name; empty when it is missing or wrong (that is reported already)
     * @param category the item's category
     * @return the participant when the name is there and nothing in the item is wrong; otherwise empty
     */
    Optional<Participant> read(Section item, Optional<String> name, StateCategory category);
}
