package io.switchboard.conversations.rest.dto;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Collection;
import java.util.HashSet;

/** A list that names each element once: a repeated id is a mistake to report, not to merge silently. */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Distinct.Validator.class)
public @interface Distinct {

    String message() default "must not name the same id twice";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Distinct, Collection<?>> {
        @Override
        public boolean isValid(Collection<?> values, ConstraintValidatorContext context) {
            return values == null || new HashSet<>(values).size() == values.size();
        }
    }
}
