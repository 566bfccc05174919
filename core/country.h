#ifndef TOCMP_COUNTRY_H
#define TOCMP_COUNTRY_H
/* 1 if code is an assigned ISO 3166-1 alpha-2 code (upper case), else 0. */
int tocmp_country_is_valid(const char *code);
#endif
