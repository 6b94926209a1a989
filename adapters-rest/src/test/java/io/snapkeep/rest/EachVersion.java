package io.snapkeep.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs a test under the prefix of the v2.1 docs and CloudifyJS, and under the Python client's default. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ParameterizedTest(name = "{0}")
@ValueSource(strings = {"/api/v2.1", "/api/v3.1"})
@interface EachVersion {
}
